"""SEC-01, style.md habit 7: every URL pattern is walked mechanically, so a new route is
covered without anyone remembering to add it. An anonymous caller must be sent to the login
page (HTML) or get 401 (API), unless the route is declared public below with the reason."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Routes anyone may call, by URL name, with why.
PUBLIC = {
    "home": "landing page",
    "healthz": "monitoring",
    "favicon": "the site icon",
    "readyz": "monitoring",
    "metrics": "monitoring (bearer METRICS_TOKEN, 404 when unset)",
    "set_language": "language switch",
    "login": "sign in",
    "logout": "sign out",
    "register": "Hak Akses registration is for businesses without an account (HA-01)",
    "registration_done": "secret-link confirmation page (HA-05)",
    "registration_status": "secret-link status page (HA-05)",
    "registration_status_document": "secret-link registration document (HA-05)",
    "set_password": "e-mailed set-password link (HA-08)",
    "set_password_resend": "resend an expired link (HA-08)",
    "lost_credentials": "report lost credentials without being able to log in (HA-10)",
    "password_reset": "forgotten password: ask for a link by e-mail (HA-10)",
    "password_reset_done": "forgotten password: the same answer for every address (HA-10)",
    "password_reset_confirm": "forgotten password: the e-mailed link (HA-10)",
    "password_reset_complete": "forgotten password: done (HA-10)",
    "permit-verify": "public verification (DOC-04)",
    "permit-verify-number": "public verification (DOC-04)",
    "api-verify-upload": "public verification (DOC-04)",
    "api-verify-number": "public verification (DOC-04)",
    "api-auth-token": "obtaining a token",
    "api-schema": "OpenAPI schema",
    "api-docs": "API documentation",
    "api-regions": "reference data for the registration's Kab/Kota (API-03)",
    "api-registrations": "anyone may POST a registration; the list (GET) is for officers",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _concrete(route: str) -> str:
    def value(match):
        converter = match.group(1) or "str"
        return "1" if converter == "int" else "X1"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _routes():
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "(?P" in route:
            continue  # the Django admin has its own login (staff only), checked below
        yield pytest.param(_concrete(route), name, id=f"{name}")


ALL_ROUTES = list(_routes())
ROUTES = [route for route in ALL_ROUTES if route.values[1] not in PUBLIC]
PUBLIC_ROUTES = [route for route in ALL_ROUTES if route.values[1] in PUBLIC]


def test_the_walk_sees_every_app_and_every_public_name_exists():
    paths = [p.values[0] for p in ALL_ROUTES]
    assert set(PUBLIC) <= {p.values[1] for p in ALL_ROUTES}
    for prefix in ("/accounts/", "/permits/", "/api-registry/", "/sugar/", "/api/v1/sugar/", "/api/v1/api-applications/"):
        assert any(path.startswith(prefix) for path in paths), prefix


@pytest.mark.parametrize("path,name", ROUTES)
def test_anonymous_callers_are_refused_on_every_non_public_route__SEC_01(client, path, name):
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 404, 405), (method, path, response.status_code)
        else:
            assert response.status_code in (302, 404, 405), (method, path, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith("/accounts/login/"), (method, path, response.url)


@pytest.mark.parametrize("path,name", PUBLIC_ROUTES)
def test_public_routes_answer_anonymous_callers_without_a_server_error(client, path, name):
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code < 500, (method, path, response.status_code)


def test_the_admin_refuses_importers_and_anonymous__SEC_01(client, owner):
    assert client.get("/admin/").url.startswith("/admin/login/")
    client.force_login(owner)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_every_permit_kind_declares_which_officials_read_it__SEC_01():
    """Issue 15, item 6: the officials who read a permit are declared per kind by the app that
    issues it (``permits.scopes``); a kind without a declaration would be read by no official,
    and one declared twice would be ambiguous."""
    from permits.documents import KINDS
    from permits.scopes import _SCOPES

    assert set(_SCOPES) == set(KINDS)
