"""PERF-02: list counts are exact up to ``settings.LIST_COUNT_CAP`` and capped above it (the
work list, HTML and API; the paginator is the project's one, ``inatrade.pagination``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inatrade.pagination import CappedPaginator
from tests.conftest import token_client
from tests.workspace.conftest import step_row
from workspace.models import CaseStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(dirjen):
    CaseStep.objects.bulk_create([step_row(reference=f"CAP-{i}", due_in_days=i) for i in range(7)])


def test_above_the_cap_the_api_says_count_is_the_cap_and_capped__PERF_02(settings, dirjen, seven):
    settings.LIST_COUNT_CAP = 5
    api = token_client(dirjen)
    body = api.get("/api/v1/work/", {"page_size": 2}).json()
    assert body["count"] == 5 and body["count_capped"] is True
    assert [r["reference"] for r in body["results"]] == ["CAP-0", "CAP-1"]
    assert body["next"] is not None and body["previous"] is None
    second = api.get("/api/v1/work/", {"page_size": 2, "page": 2}).json()
    assert [r["reference"] for r in second["results"]] == ["CAP-2", "CAP-3"]
    third = api.get("/api/v1/work/", {"page_size": 2, "page": 3}).json()  # the last page within the cap
    assert [r["reference"] for r in third["results"]] == ["CAP-4"] and third["next"] is None
    assert third["count"] == 5 and third["count_capped"] is True
    assert api.get("/api/v1/work/", {"page_size": 2, "page": "last"}).json()["results"] == third["results"]
    past = api.get("/api/v1/work/", {"page_size": 2, "page": 4})  # rows 7 exist, but past the cap: as past the end
    assert past.status_code == 404 and past.json()["error"]["code"] == "not_found"


def test_at_or_below_the_cap_the_count_is_exact__PERF_02(settings, dirjen, seven):
    api = token_client(dirjen)
    settings.LIST_COUNT_CAP = 7
    body = api.get("/api/v1/work/").json()
    assert body["count"] == 7 and body["count_capped"] is False and len(body["results"]) == 7
    settings.LIST_COUNT_CAP = 10_000
    body = api.get("/api/v1/work/").json()
    assert body["count"] == 7 and body["count_capped"] is False


def test_the_html_work_list_shows_cap_plus__PERF_02(settings, client, dirjen, seven):
    settings.LIST_COUNT_CAP = 5
    client.force_login(dirjen)
    html = client.get("/work/?page=1").content.decode()
    assert "5+ perkara" in html
    settings.LIST_COUNT_CAP = 10_000
    html = client.get("/work/").content.decode()
    assert "7 perkara" in html and "7+ perkara" not in html


def test_the_capped_count_is_in_english_too_with_thousands__PERF_02(settings, client, dirjen):
    settings.LIST_COUNT_CAP = 1_000
    CaseStep.objects.bulk_create([step_row(reference=f"CAP-{i:04d}") for i in range(1_001)])
    client.force_login(dirjen)
    assert "1.000+ perkara" in client.get("/work/").content.decode()
    client.cookies["django_language"] = "en"
    assert "1,000+ cases" in client.get("/work/").content.decode()


def test_the_count_reads_at_most_cap_plus_one_rows_without_sorting__PERF_02(dirjen, seven):
    qs = CaseStep.objects.order_by("due_date", "pk")
    paginator = CappedPaginator(qs, 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.count_capped, paginator.num_pages) == (5, True, 3)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "LIMIT 6" in sql and "ORDER BY" not in sql.upper()
    assert CappedPaginator(qs, 2, cap=7).count_capped is False
    assert CappedPaginator(list(qs), 2, cap=6).count == 6
