"""style.md habit 7 / SEC-01: every page and endpoint of the API registry refuses anonymous
callers and the roles that have no business there; walked mechanically from the URLconf."""

import pytest
from django.urls import URLPattern

from accounts.models import Role
from api_registry import api_urls, urls
from tests.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARGS = {"pk": "1", "number": "317100001D", "action": "change", "code": "dinas-31", "document_id": "1"}
NOT_HERE = [Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.AGENCY, Role.SURVEYOR]


def _path(prefix: str, pattern: URLPattern) -> str:
    route = str(pattern.pattern)
    for name, value in ARGS.items():
        for converter in ("int", "str", "slug", "path"):
            route = route.replace(f"<{converter}:{name}>", value)
    return prefix + route


HTML = [_path("/api-registry/", p) for p in urls.urlpatterns]
PUBLIC = {"/api/v1/regions/"}  # reference data for the registration, anyone (API-03)
API = [_path("/api/v1/", p) for p in api_urls.urlpatterns if _path("/api/v1/", p) not in PUBLIC]


def test_the_public_reference_data_is_read_only__SEC_01(api_client):
    for path in PUBLIC:
        assert api_client.get(path).status_code == 200
        assert api_client.post(path, {}, format="json").status_code == 405


# The director reads the API cases escalated to them (SLA-03): these pages admit them (here
# 404: object 1 does not exist), and refuse any change.
DIRECTOR_READS = {"/api-registry/applications/1/", "/api-registry/applications/1/documents/1", "/api-registry/apis/1/"}


@pytest.mark.parametrize("path", HTML)
def test_every_page_refuses_anonymous_and_unrelated_roles__SEC_01(client, path):
    assert client.get(path).status_code == 302
    for role in NOT_HERE:
        client.force_login(UserFactory(role=role))
        if role == Role.DIRECTOR and path in DIRECTOR_READS:
            assert client.get(path).status_code == 404, (path, role)
            assert client.post(path, {}).status_code in (403, 404, 405), (path, role)
            continue
        assert client.get(path).status_code in (403, 405), (path, role)
        assert client.post(path, {}).status_code == 403, (path, role)


@pytest.mark.parametrize("path", API)
def test_every_endpoint_refuses_anonymous_and_unrelated_roles__SEC_01(api_client, path):
    assert api_client.get(path).status_code in (401, 405)
    assert api_client.post(path, {}, format="json").status_code == 401
    for role in NOT_HERE:
        caller = token_client(UserFactory(role=role))
        assert caller.post(path, {}, format="json").status_code in (403, 405), (path, role)
        assert caller.get(path).status_code in (403, 405), (path, role)
