"""api.md: every API error has the one JSON shape, 500s included, with DEBUG on or off; the
HTML error page is for browsers only."""

import pytest

from tests.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_me(monkeypatch):
    from accounts import apis

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(apis.MeApi, "get", explode)


@pytest.mark.parametrize("debug", [True, False])
def test_an_unhandled_error_under_the_api_answers_json_500__API_errors(owner, broken_me, settings, debug):
    settings.DEBUG = debug
    client = token_client(owner)
    client.raise_request_exception = False
    response = client.get("/api/v1/me")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": {"code": "server_error", "message": "Terjadi kesalahan pada server.", "fields": {}}}


def test_a_database_conflict_left_after_retries_answers_json_503__API_errors(owner, monkeypatch):
    from accounts import apis
    from tests.inatrade.test_db_conflicts import deadlock

    def conflict(self, request, *args, **kwargs):
        raise deadlock()

    monkeypatch.setattr(apis.MeApi, "get", conflict)
    response = token_client(owner).get("/api/v1/me")
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "busy_retry"


@pytest.mark.parametrize("debug", [True, False])
def test_a_browser_page_error_is_still_html__API_errors(client, monkeypatch, settings, debug):
    from inatrade import urls

    settings.DEBUG = debug

    def explode(request):
        raise RuntimeError("a bug")

    resolver = urls.urlpatterns[0]
    monkeypatch.setattr(resolver, "callback", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
