"""PERF-02: the work lists and the importer's lists make the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sugar_import import services
from tests.conftest import token_client
from tests.sugar_import.conftest import draft, line

pytestmark = pytest.mark.django_db


def count(fn) -> int:
    fn()  # warm: the first call of a token or session records its use
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def add(owner, recommendation, dirjen, n):
    for _ in range(n):
        app = services.sugar_application_submit(application=draft(owner, recommendation, lines=[line("10"), line("5")]), actor=owner)
        services.sugar_application_approve(application=app, actor=dirjen)


def test_lists_make_a_constant_number_of_queries__PERF_02(owner, api_p, quota, recommendation, dirjen, counter_officer, client):
    officer_api, owner_api = token_client(counter_officer), token_client(owner)
    client.force_login(counter_officer)
    add(owner, recommendation, dirjen, 2)
    small = [count(lambda: officer_api.get("/api/v1/sugar/applications/")), count(lambda: owner_api.get("/api/v1/sugar/permits/")),
             count(lambda: client.get("/sugar/"))]
    add(owner, recommendation, dirjen, 6)
    large = [count(lambda: officer_api.get("/api/v1/sugar/applications/")), count(lambda: owner_api.get("/api/v1/sugar/permits/")),
             count(lambda: client.get("/sugar/"))]
    assert small == large
    assert max(large) <= 15


def test_the_importers_lists_make_the_same_queries_at_10_and_200_rows__PERF_02(owner, api_p, quota, recommendation, dirjen, client):
    """The importer's applications and permits, HTML and API, at 10 and at 200 rows."""
    from tests.bulk import clone_sugar_permits

    owner_api = token_client(owner)
    client.force_login(owner)
    add(owner, recommendation, dirjen, 1)
    from sugar_import.models import SugarApplication

    application = SugarApplication.objects.select_related("sugar_permit__permit").get(company=owner.company)
    lists = {
        "api applications": lambda: owner_api.get("/api/v1/sugar/applications/"),
        "api permits": lambda: owner_api.get("/api/v1/sugar/permits/"),
        "html /sugar/": lambda: client.get("/sugar/"),
        "html /permits/": lambda: client.get("/permits/"),
    }
    clone_sugar_permits(application, 9)
    assert SugarApplication.objects.filter(company=owner.company).count() == 10
    small = {name: count(fn) for name, fn in lists.items()}
    clone_sugar_permits(application, 190)
    assert owner_api.get("/api/v1/sugar/permits/?page_size=100").json()["count"] == 200
    large = {name: count(fn) for name, fn in lists.items()}
    assert small == large
    assert max(large.values()) <= 15, large


def test_the_permit_list_reads_a_page_and_its_total_in_one_query__PERF_04(owner, api_p, quota, recommendation, dirjen):
    """The token, then one statement for the page and the total (no separate COUNT)."""
    owner_api = token_client(owner)
    add(owner, recommendation, dirjen, 3)
    assert count(lambda: owner_api.get("/api/v1/sugar/permits/")) == 2
    assert count(lambda: owner_api.get("/api/v1/sugar/permits/?page_size=2&page=2")) == 2


def test_the_permit_page_is_a_prepared_statement_on_postgresql__PERF_04(owner, api_p, quota, recommendation, dirjen):
    """Issue 22: planning the list's joins cost PostgreSQL more than running them; the page is
    prepared once per connection and then one EXECUTE per request (still one query, named for
    the table it reads), and a new connection prepares it again."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    owner_api = token_client(owner)
    add(owner, recommendation, dirjen, 3)
    first = owner_api.get("/api/v1/sugar/permits/").json()
    with CaptureQueriesContext(connection) as ctx:
        again = owner_api.get("/api/v1/sugar/permits/").json()
    assert again == first and again["count"] == 3
    page = [q["sql"] for q in ctx.captured_queries if "sugar_import_sugarpermit" in q["sql"]]
    assert len(ctx.captured_queries) == 2 and len(page) == 1 and page[0].startswith("EXECUTE sugar_import_sugarpermit_page_")
    with connection.cursor() as cursor:
        name = page[0].split()[1].split("(")[0]
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone()[0] == 1
        cursor.execute("DEALLOCATE ALL")  # as a new connection would have none
    connection._inatrade_prepared = None
    assert owner_api.get("/api/v1/sugar/permits/").json() == first
