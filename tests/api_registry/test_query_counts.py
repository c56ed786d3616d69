"""PERF-02: the importer's list of API applications (HTML and API) makes the same number of
queries at 10 and at 200 rows, and at most 15."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api_registry.models import ApiApplication
from tests.bulk import clone
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def count(fn) -> int:
    fn()  # warm: the first call of a token or session records its use
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_importers_api_applications_make_the_same_queries_at_10_and_200_rows__PERF_02(owner, api_u, client):
    approved = ApiApplication.objects.get(company=owner.company)
    owner_api = token_client(owner)
    client.force_login(owner)
    lists = {
        "api /api/v1/api-applications/": lambda: owner_api.get("/api/v1/api-applications/"),
        "html /api-registry/": lambda: client.get("/api-registry/"),
    }
    clone(approved, 9, children=("documents",))
    small = {name: count(fn) for name, fn in lists.items()}
    clone(approved, 190, children=("documents",))
    assert owner_api.get("/api/v1/api-applications/").json()["count"] == 200
    large = {name: count(fn) for name, fn in lists.items()}
    assert small == large, (small, large)
    assert max(large.values()) <= 15, large
