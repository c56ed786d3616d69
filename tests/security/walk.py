"""Helpers for the SEC-01 walk: every route of the URLconf with real parameter values taken
from the demo data (so an object route is tried on an object that exists)."""

from __future__ import annotations

import io
import re

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role

ROLES = [
    "anonymous", "importer_a", "importer_b", Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR,
    Role.DIRECTOR_GENERAL, Role.ISSUER_OFFICER, Role.AGENCY, Role.SURVEYOR, Role.ADMINISTRATOR,
]

# One more actor (issue 15, item 6): an API issuer's officer of another jurisdiction, the Dinas
# of a province where the demo has no company. It has the issuer officer's role, so the routes
# admit it as they admit that role, and it must learn nothing of the demo's objects.
ELSEWHERE = "issuer_officer_elsewhere"
ELSEWHERE_PROVINCE = "51"  # Bali; the demo's companies are in DKI Jakarta (31) and Banten (36)


def officer_elsewhere():
    """An issuer officer of the Dinas of ``ELSEWHERE_PROVINCE`` (the issuer itself, so it may
    decide there), with no part in any demo object."""
    from api_registry.models import Issuer, IssuerMembership
    from tests.factories import UserFactory

    user = UserFactory(role=Role.ISSUER_OFFICER, position="Kepala Seksi API, Dinas Provinsi Bali")
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(code=f"dinas-{ELSEWHERE_PROVINCE}"))
    return user


def walk(patterns=None, prefix=""):
    """(route, name, callback) for every URL pattern outside the Django admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if not route.startswith("admin/") and "(?P" not in route:
                yield route, entry.name, entry.callback


def seed_demo():
    """Every registered app's demo data (``inatrade.registry.demo``), so a new kind's objects
    are walked too; not the workspace's, which moves SLA clocks and claims steps."""
    from inatrade.registry import demos

    for demo in demos():
        if demo.name != "workspace":
            demo.seed(io.StringIO())


def foreign_values(company) -> dict[str, dict[str, str]]:
    """For each URL name with parameters, the values that point at objects of a company
    other than ``company`` (importer B's objects, seen from importer A)."""
    from accounts.models import Registration, User
    from api_registry.models import Api, ApiApplication, ApiChangeRequest, Issuer, ProdusenImportir
    from permits.models import Permit
    from workspace.models import CaseStep
    from sugar_import.models import AmendmentRequest, ExemptionLetter, Recommendation, SugarApplication, SugarPermit, Surveyor

    registration = Registration.objects.order_by("pk").first()
    api_app = ApiApplication.objects.exclude(company=company).filter(documents__isnull=False).order_by("pk").first()
    api = Api.objects.exclude(company=company).order_by("pk").first()
    user_b = User.objects.filter(role=Role.IMPORTER).exclude(company=company).order_by("pk").first()
    permit = Permit.objects.exclude(holder=company).order_by("pk").first()
    sugar_app = SugarApplication.objects.exclude(company=company).order_by("pk").first()
    sugar_permit = SugarPermit.objects.exclude(company=company).order_by("pk").first()
    amendment = AmendmentRequest.objects.exclude(sugar_permit__company=company).order_by("pk").first()
    exemption = ExemptionLetter.objects.exclude(company=company).order_by("pk").first()
    change = ApiChangeRequest.objects.exclude(api__company=company).order_by("pk").first()
    designation = ProdusenImportir.objects.exclude(api__company=company).order_by("pk").first()
    issuer = Issuer.objects.order_by("pk").first()
    surveyor = Surveyor.objects.order_by("pk").first()
    recommendation = Recommendation.objects.exclude(company=company).order_by("-pdf_path", "pk").first()
    case_step = CaseStep.objects.filter(finished_at__isnull=True).order_by("pk").first()
    values = {}
    for route, name, _ in walk():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params:
            continue
        v = {}
        for p in params:
            if name.startswith(("registration_", "api-registration-")):
                v.update(pk=registration.pk, key=registration.access_key, kind="document")
            elif name in ("registration_done", "registration_status", "registration_status_document"):
                v.update(key=registration.access_key)
            elif name == "set_password":
                v.update(token="not-a-real-token")
            elif name == "password_reset_confirm":
                v.update(uidb64="MQ", token="not-a-real-token")
            elif name in ("user_revoke", "api-user-revoke"):
                v.update(pk=user_b.pk)
            elif name in ("permit-pdf", "permit-signing-status", "api-permit-pdf", "permit-verify-number", "permit-signing",
                          "permit-signing-retry", "api-permit-signing", "api-permit-signing-retry"):
                v.update(number=permit.number)
            elif name == "api-verify-number":
                v.update(permit_number=permit.number)
            elif name.startswith("api-application") or name in ("api-application-document",):
                v.update(pk=api_app.pk, document_id=api_app.documents.order_by("pk").first().pk, action="approve")
            elif name in ("api-detail", "api-action"):
                v.update(pk=api.pk)
            elif name.startswith("api-api-"):
                v.update(number=api.number)
            elif name == "api-holder-action":
                v.update(action="change")
            elif name.startswith("api-change-"):
                v.update(pk=_pk(change))
            elif name.startswith("api-designation-"):
                v.update(pk=_pk(designation))
            elif name == "api-issuer-recap":
                v.update(code=issuer.code)
            elif name.startswith(("sugar-application", "api-sugar-application")):
                v.update(pk=sugar_app.pk)
            elif name.startswith(("sugar-permit", "api-sugar-permit")):
                v.update(number=sugar_permit.number)
            elif name.startswith(("sugar-recommendation", "api-sugar-recommendation")):
                v.update(pk=_pk(recommendation))
            elif name.startswith(("sugar-amendment", "api-sugar-amendment")):
                v.update(pk=_pk(amendment))
            elif name.startswith(("api-sugar-exemption", "sugar-exemption")):
                v.update(pk=_pk(exemption), code="recommendation")
            elif name in ("work-claim", "work-release", "api-worklist-claim", "api-worklist-release"):
                v.update(pk=_pk(case_step))
            elif name == "workspace-sla-report-export":
                v.update(fmt="csv")
            elif name.startswith("api-webhook-"):
                from webhooks.models import WebhookEndpoint

                v.update(pk=_pk(WebhookEndpoint.objects.exclude(company=company).order_by("pk").first()))
            elif name == "sugar-surveyor-document":
                v.update(pk=_pk(surveyor), code=next(iter(surveyor.documents), "siujs") if surveyor else "siujs")
        missing = set(params) - set(v)
        assert not missing, f"the SEC-01 walk does not know how to fill {missing} of {name} ({route})"
        values[name] = {k: str(v[k]) for k in params}
    return values


def _pk(obj) -> int:
    """The demo data may lack a kind of object; a missing id still proves the role check."""
    return obj.pk if obj is not None else 999999


def concrete(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
