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
