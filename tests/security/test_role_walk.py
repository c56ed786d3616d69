"""SEC-01 on the whole product: every URL pattern and API route (found by walking the
URLconf, so a new route fails here until its access is declared below) is called by every
role; each route refuses the roles it should, and importer A learns nothing of objects that
belong to another company (404, the same answer as for an object that does not exist).

The objects are the demo data (``manage.py seed_demo``): several companies with Hak Akses
registrations, API-U/API-P applications and APIs, signed permits, sugar applications, PIs and
amendments. Importer A is a fresh importer of a company that owns none of them."""

import json

import pytest

from accounts.models import Role
from tests.factories import ImporterFactory, UserFactory
from tests.security.walk import ELSEWHERE, ROLES, concrete, foreign_values, officer_elsewhere, seed_demo, walk

pytestmark = pytest.mark.django_db

ANON = "anonymous"
IMP = frozenset({"importer_a", "importer_b"})
CO, FV, DIR, DG = Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.DIRECTOR_GENERAL
ISS, AG, SUR, ADM = Role.ISSUER_OFFICER, Role.AGENCY, Role.SURVEYOR, Role.ADMINISTRATOR
OFFICERS = frozenset({CO, FV, DIR, DG, ISS, AG, SUR, ADM})
SIGNED_IN = IMP | OFFICERS
EVERYONE = SIGNED_IN | {ANON}
STAFF = frozenset({CO, FV, DIR, DG, ISS, ADM})  # accounts.models.OFFICER_ROLES
SUGAR = frozenset({CO, DIR, DG, ADM})  # sugar_import.selectors.SUGAR_OFFICER_ROLES (issue 15, item 6)

# Who may call each route (by URL pattern). Importers reach only their own company's objects;
# that is checked separately below.
ACCESS = {
    "": EVERYONE,  # home
    "healthz": EVERYONE,
    "favicon.ico": EVERYONE,
    "readyz": EVERYONE,
    "metrics": EVERYONE,  # not role-based: a bearer METRICS_TOKEN, 404 when unset (issue 19)
    "i18n/setlang/": EVERYONE,
    "accounts/login/": EVERYONE,
    "accounts/logout/": EVERYONE,
    "accounts/password/": SIGNED_IN,
    "accounts/dashboard/": SIGNED_IN,
    "accounts/register/": EVERYONE,  # HA-01: for businesses without an account
    "accounts/register/done/<str:key>/": EVERYONE,  # HA-05 secret link
    "accounts/registration/<str:key>/": EVERYONE,  # HA-05 secret link
    "accounts/registration/<str:key>/document.pdf": EVERYONE,  # HA-05 secret link
    "accounts/registrations/": {CO, FV, DIR, ADM},
    "accounts/registrations/<int:pk>/": {CO, FV, DIR, DG, ADM},  # DG: escalated to them (SLA-03)
    "accounts/registrations/<int:pk>/validate/": {CO},
    "accounts/registrations/<int:pk>/field-verification/": {DIR},
    "accounts/registrations/<int:pk>/field-verification/result/": {FV},
    "accounts/registrations/<int:pk>/decide/": {DIR},
    "accounts/registrations/<int:pk>/files/<str:kind>/": {CO, FV, DIR, DG, ADM},
    "accounts/set-password/resend/": EVERYONE,  # HA-08
    "accounts/set-password/<str:token>/": EVERYONE,  # HA-08 e-mailed link
    "accounts/lost-credentials/": EVERYONE,  # HA-10: also when one cannot log in (issue 17)
    "accounts/password-reset/": EVERYONE,  # HA-10: forgotten password
    "accounts/password-reset/sent/": EVERYONE,
    "accounts/password-reset/<uidb64>/<token>/": EVERYONE,  # HA-10 e-mailed link
    "accounts/password-reset/done/": EVERYONE,
    "accounts/access-holders/": {DIR, ADM},
    "accounts/access-holders/<int:pk>/revoke/": {DIR, ADM},
    "permits/": SIGNED_IN,
    "permits/<path:number>/pdf": IMP | {CO, FV, DIR, DG, ISS, AG, ADM},
    "permits/<path:number>/signing": STAFF,  # REL-06: the signing state and its last error
    "permits/<path:number>/signing/retry": {DIR, DG, ISS, ADM},  # the officials who sign, and administrators
    "permits/<path:number>/signing-status": IMP | {CO, FV, DIR, DG, ISS, AG, ADM},
    "verify/": EVERYONE,  # DOC-04
    "verify/<path:number>": EVERYONE,  # DOC-04
    "api-registry/": IMP,
    "api-registry/apply/": IMP,
    "api-registry/holder/<slug:action>/": IMP,
    "api-registry/applications/<int:pk>/": IMP | {DIR, DG, ISS, ADM},  # DIR: escalated to them (SLA-03)
    "api-registry/applications/<int:pk>/submit": IMP,
    "api-registry/applications/<int:pk>/documents/<int:document_id>": IMP | {DIR, DG, ISS, ADM},
    "api-registry/applications/<int:pk>/<slug:action>": {DG, ISS},
    "api-registry/work/": {DG, ISS, ADM},
    "api-registry/recap/": {DG, ISS},
    "api-registry/apis/<int:pk>/": IMP | {DIR, DG, ISS, ADM},
    "api-registry/apis/<int:pk>/action": {DG, ISS},
    "sugar/": IMP | SUGAR | {SUR, AG},  # the agency is sent on to its recommendations
    "sugar/applications/new/": IMP | {CO},
    "sugar/applications/<int:pk>/": IMP | SUGAR,
    "sugar/applications/<int:pk>/edit": IMP | {CO},
    "sugar/applications/<int:pk>/submit": IMP | {CO},
    "sugar/applications/<int:pk>/documents": IMP | {CO},
    "sugar/applications/<int:pk>/return": {CO, DG},
    "sugar/applications/<int:pk>/approve": {DG},
    "sugar/applications/<int:pk>/reject": {DG},
    "sugar/permits/<str:number>/": IMP | SUGAR | {SUR},
    "sugar/permits/<str:number>/reports": IMP,
    "sugar/permits/<str:number>/amendments": IMP,
    "sugar/permits/<str:number>/revoke": {DG},
    "sugar/amendments/<int:pk>/approve": {DG},
    "sugar/amendments/<int:pk>/reject": {DG},
    "sugar/recommendations/": IMP | SUGAR | {AG},
    "sugar/recommendations/pending/": {CO, DG, AG},  # issue 15, item 8: the verifiers
    "sugar/recommendations/<int:pk>/": IMP | SUGAR | {AG},
    "sugar/recommendations/<int:pk>/pdf": IMP | SUGAR | {AG},
    "sugar/recommendations/<int:pk>/confirm": {CO, DG, AG},
    "sugar/recommendations/<int:pk>/reject": {CO, DG, AG},
    "sugar/permits/<str:number>/surveyor-reports": {SUR},
    "sugar/surveyor/": {SUR},
    "sugar/surveyor/monthly-reports": {SUR},
    "sugar/surveyors/": SUGAR,
    "sugar/surveyors/<int:pk>/documents/<slug:code>": SUGAR,
    "sugar/surveyors/designate": {ADM},
    "sugar/exemptions/": IMP | SUGAR,  # an importer sees its own company's requests
    "sugar/exemptions/new": {CO},
    "sugar/exemptions/<int:pk>/": IMP | SUGAR,
    "sugar/exemptions/<int:pk>/documents/<slug:code>": IMP | SUGAR,
    "sugar/exemptions/<int:pk>/approve": {DG},
    "sugar/exemptions/<int:pk>/reject": {DG},
    "sugar/quotas/": SUGAR | {AG},
    "sugar/quotas/record": {ADM},
    "work/": STAFF,  # SLA-03: the officers' work list
    "work/<int:pk>/claim": STAFF,
    "work/<int:pk>/release": STAFF,
    "api/v1/work/": STAFF,
    "api/v1/work/<int:pk>/claim": STAFF,
    "api/v1/work/<int:pk>/release": STAFF,
    "work/reports/sla/": STAFF,
    "work/reports/sla/export.<str:fmt>": STAFF,
    "work/dashboard/": {DIR, DG, ADM},
    "api/v1/reports/sla/": STAFF,
    "api/v1/auth/token": EVERYONE,
    "api/v1/me": SIGNED_IN,
    "api/v1/me/report-lost-credentials": SIGNED_IN,
    "api/v1/registrations/": {CO, FV, DIR, ADM},  # GET; anyone may POST a registration (HA-01)
    "api/v1/registrations/<int:pk>/document.pdf": EVERYONE,  # HA-05: with the secret key only
    "api/v1/registrations/<int:pk>/bap.pdf": {CO, FV, DIR, ADM},
    "api/v1/registrations/<int:pk>/field-verification": {DIR},
    "api/v1/registrations/<int:pk>/field-verification/result": {FV},
    "api/v1/registrations/<int:pk>/validate": {CO},
    "api/v1/registrations/<int:pk>/approve": {DIR},
    "api/v1/registrations/<int:pk>/reject": {DIR},
    "api/v1/users/<int:pk>/revoke": {DIR, ADM},
    "api/v1/verify/": EVERYONE,  # DOC-04
    "api/v1/regions/": EVERYONE,  # reference data for the registration (API-03)
    "api/v1/verify/<path:permit_number>": EVERYONE,  # DOC-04
    "api/v1/permits/<path:number>/pdf": SIGNED_IN,
    "api/v1/permits/<path:number>/signing": STAFF,
    "api/v1/permits/<path:number>/signing/retry": {DIR, DG, ISS, ADM},
    "api/v1/insw/outbox/": {ADM},
    "api/v1/api-applications/": IMP | {DG, ISS, ADM},
    "api/v1/api-applications/<int:pk>": IMP | {DG, ISS, ADM},
    "api/v1/api-applications/<int:pk>/documents": IMP,
    "api/v1/api-applications/<int:pk>/submit": IMP,
    "api/v1/api-applications/<int:pk>/inspection": {ISS},
    "api/v1/api-applications/<int:pk>/forward": {ISS},
    "api/v1/api-applications/<int:pk>/approve": {DG, ISS},
    "api/v1/api-applications/<int:pk>/reject": {DG, ISS},
    "api/v1/apis/": IMP | {DG, ISS, ADM},
    "api/v1/apis/record-nib": IMP,
    "api/v1/apis/<str:number>": IMP | {DG, ISS, ADM},
    "api/v1/apis/<str:number>/freeze": {DG, ISS},
    "api/v1/apis/<str:number>/reactivate": {DG, ISS},
    "api/v1/apis/<str:number>/revoke": {DG, ISS},
    "api/v1/apis/<str:number>/reregister": IMP,
    "api/v1/apis/<str:number>/change-requests": IMP,
    "api/v1/apis/<str:number>/quarterly-reports": IMP | {DG, ISS, ADM},
    "api/v1/apis/<str:number>/produsen-importir": IMP,
    "api/v1/api-change-requests/<int:pk>/approve": {DG, ISS},
    "api/v1/api-change-requests/<int:pk>/reject": {DG, ISS},
    "api/v1/produsen-importir/<int:pk>/approve": {DG},
    "api/v1/produsen-importir/<int:pk>/reject": {DG},
    "api/v1/produsen-importir/<int:pk>/revoke": {DG},
    "api/v1/api-issuers/<slug:code>/recap": {DG, ISS},
    "api/v1/sugar/recommendations/": SIGNED_IN,  # an importer sees its own (checked below)
    "api/v1/sugar/recommendations/<int:pk>": IMP | SUGAR | {AG},
    "api/v1/sugar/recommendations/<int:pk>/pdf": IMP | SUGAR | {AG},
    "api/v1/sugar/recommendations/<int:pk>/confirm": {CO, DG, AG},
    "api/v1/sugar/recommendations/<int:pk>/reject": {CO, DG, AG},
    "api/v1/sugar/quotas/": SUGAR | {AG},
    "api/v1/sugar/applications/": IMP | SUGAR,
    "api/v1/sugar/applications/<int:pk>": IMP | SUGAR,
    "api/v1/sugar/applications/<int:pk>/documents": IMP | {CO},
    "api/v1/sugar/applications/<int:pk>/submit": IMP | {CO},
    "api/v1/sugar/applications/<int:pk>/return": {CO, DG},
    "api/v1/sugar/applications/<int:pk>/approve": {DG},
    "api/v1/sugar/applications/<int:pk>/reject": {DG},
    "api/v1/sugar/permits/": IMP | SUGAR | {SUR},
    "api/v1/sugar/permits/<str:number>": IMP | SUGAR | {SUR},
    "api/v1/sugar/permits/<str:number>/pdf": IMP | SUGAR,
    "api/v1/sugar/permits/<str:number>/reports": IMP | SUGAR | {SUR},
    "api/v1/sugar/permits/<str:number>/amendments": IMP,
    "api/v1/sugar/permits/<str:number>/surveyor-reports": {SUR},
    "api/v1/sugar/surveyor-monthly-reports/": {SUR},
    "api/v1/sugar/permits/<str:number>/revoke": {DG},
    "api/v1/sugar/amendments/<int:pk>/approve": {DG},
    "api/v1/sugar/amendments/<int:pk>/reject": {DG},
    "api/v1/sugar/exemptions/": {CO},
    "api/v1/sugar/exemptions/<int:pk>/approve": {DG},
    "api/v1/sugar/exemptions/<int:pk>/reject": {DG},
    "api/v1/webhooks/endpoints/": IMP,  # USE-04: the company's own endpoints
    "api/v1/webhooks/endpoints/<int:pk>": IMP,
    "api/v1/webhooks/endpoints/<int:pk>/rotate-secret": IMP,
    "api/v1/webhooks/deliveries/": IMP,
    "api/v1/webhooks/deliveries/<int:pk>/retry": IMP,
    "api/v1/schema/": EVERYONE,
    "api/v1/docs/": EVERYONE,
}

# Routes whose POST is open to everyone although the GET is not.
OPEN_POST = {"api/v1/registrations/"}

# Routes with parameters that are not another company's object (a secret link, a verb, an
# issuer code, a public permit number, a registration before it has a company).
NOT_AN_IMPORTERS_OBJECT = {
    "accounts/register/done/<str:key>/", "accounts/registration/<str:key>/",
    "accounts/registration/<str:key>/document.pdf", "accounts/set-password/<str:token>/",
    "verify/<path:number>", "api/v1/verify/<path:permit_number>", "api-registry/holder/<slug:action>/",
    "api/v1/api-issuers/<slug:code>/recap",
}


@pytest.fixture
def world(settings, tmp_path):
    settings.PKI_DIR = tmp_path / "no-pki"  # permits wait for a certificate; no signing needed here
    seed_demo()
    importer_a = ImporterFactory()
    people = {ANON: None, "importer_a": importer_a, "importer_b": ImporterFactory()}
    for role in ROLES[3:]:
        people[role] = UserFactory(role=role)
    people[ELSEWHERE] = officer_elsewhere()
    values = foreign_values(importer_a.company)
    routes = [(route, name, concrete(route, values.get(name, {}))) for route, name, _ in walk()]
    return people, routes


def _admitted(route, role) -> bool:
    """The officer of another jurisdiction holds the issuer officer's role."""
    return (ISS if role == ELSEWHERE else role) in ACCESS[route]


def _refused(role, response):
    if response.status_code == 302:
        return role == ANON and response.url.startswith("/accounts/login/")
    return response.status_code in (401, 403, 404, 405)


def test_every_route_has_its_access_declared__SEC_01():
    routes = {route for route, _, _ in walk()}
    assert routes - set(ACCESS) == set(), "declare who may call these new routes in ACCESS"
    assert set(ACCESS) - routes == set(), "these declared routes no longer exist"


def test_every_route_refuses_the_roles_it_should_and_never_fails__SEC_01(client, world):
    people, routes = world
    problems = []
    for route, name, path in routes:
        for role, user in people.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            get = client.get(path)
            if get.status_code >= 500:
                problems.append(f"GET {path} as {role}: {get.status_code}")
            if _admitted(route, role):
                if role != ANON and get.status_code in (401, 403):
                    problems.append(f"GET {path} as {role}: {get.status_code}, but ACCESS admits the role")
                continue
            post = client.post(path)
            if post.status_code >= 500:
                problems.append(f"POST {path} as {role}: {post.status_code}")
            if route in OPEN_POST:
                post = get
            if not (_refused(role, get) and _refused(role, post)) or get.status_code == post.status_code == 405:
                problems.append(f"{path} as {role}: GET {get.status_code}, POST {post.status_code}; should be refused")
    assert problems == [], "\n".join(problems)


def test_importer_a_learns_nothing_of_another_companys_objects__SEC_01(client, world):
    """Object routes answer 404 (as for an object that does not exist); lists are empty."""
    people, routes = world
    client.force_login(people["importer_a"])
    problems = []
    for route, name, path in routes:
        if "<" not in route or route in NOT_AN_IMPORTERS_OBJECT or "importer_a" not in ACCESS[route]:
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            if status not in (404, 405):
                problems.append(f"{method.upper()} {path}: {status}, should be 404")
    for route, name, path in routes:
        if not route.startswith("api/v1/") or "<" in route or "importer_a" not in ACCESS[route]:
            continue
        if route in ("api/v1/me", "api/v1/schema/", "api/v1/docs/", "api/v1/auth/token", "api/v1/me/report-lost-credentials", "api/v1/verify/", "api/v1/registrations/", "api/v1/regions/"):
            continue
        response = client.get(path)
        if response.status_code == 405:
            continue  # a POST-only route
        body = response.json()
        items = body.get("results", body) if isinstance(body, dict) else body
        if response.status_code != 200 or items:
            problems.append(f"GET {path}: {response.status_code} {json.dumps(body)[:200]}")
    assert problems == [], "\n".join(problems)


# The lists an issuer officer reads that are not objects of a jurisdiction (its own account,
# reference data, documentation, aggregated figures).
NOT_A_JURISDICTIONS_LIST = {
    "api/v1/me", "api/v1/schema/", "api/v1/docs/", "api/v1/auth/token", "api/v1/me/report-lost-credentials",
    "api/v1/verify/", "api/v1/registrations/", "api/v1/regions/", "api/v1/reports/sla/",
}


def test_an_officer_of_another_jurisdiction_learns_nothing_of_its_objects__SEC_01(client, world):
    """Issue 15, item 6: an API issuer's officer (Dinas Provinsi Bali) reads no sugar
    application or PI, downloads no permit PDF, and sees none of the API cases of DKI Jakarta's
    or Banten's Dinas: the same answer in the HTML and in the API (404, or 403 for a whole
    area its role has no part in); its lists are empty."""
    from permits.models import Permit
    from sugar_import.models import SugarApplication

    people, routes = world
    client.force_login(people[ELSEWHERE])
    problems = []
    for route, name, path in routes:
        if "<" not in route or route in ("verify/<path:number>", "api/v1/verify/<path:permit_number>",
                                         "work/reports/sla/export.<str:fmt>"):  # public; a format of aggregated figures
            continue
        if route in NOT_AN_IMPORTERS_OBJECT and route != "api/v1/api-issuers/<slug:code>/recap":
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            if status not in (403, 404, 405):
                problems.append(f"{method.upper()} {path}: {status}, should be 404 (or 403)")
    for route, name, path in routes:
        if not route.startswith("api/v1/") or "<" in route or route in NOT_A_JURISDICTIONS_LIST:
            continue
        response = client.get(path)
        if response.status_code in (403, 405):
            continue
        body = response.json()
        items = body.get("results", body) if isinstance(body, dict) else body
        if response.status_code != 200 or items:
            problems.append(f"GET {path}: {response.status_code} {json.dumps(body)[:200]}")
    foreign = set(Permit.objects.values_list("number", flat=True)) | set(SugarApplication.objects.values_list("reference", flat=True))
    for page in ("/permits/", "/work/", "/api-registry/work/", "/sugar/", "/sugar/recommendations/"):
        html = client.get(page).content.decode()
        shown = sorted(number for number in foreign if number in html)
        if shown:
            problems.append(f"GET {page} shows {shown[:5]}")
    assert foreign and problems == [], "\n".join(problems)
