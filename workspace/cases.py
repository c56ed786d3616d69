"""What the workspace needs to know of each kind of case: its reference, the party, the
issuer office that handles it, and the page an officer opens. One entry per kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db import models
from django.urls import reverse

from workspace.models import CaseKind


@dataclass(frozen=True)
class CaseInfo:
    reference: str
    party_name: str
    party_nib: str
    company_id: int | None
    issuer_id: int | None = None
    regency_id: int | None = None


def _company(company) -> tuple[str, str, int | None]:
    return (company.name, company.nib, company.pk) if company is not None else ("", "", None)


def _registration(case) -> CaseInfo:
    return CaseInfo(case.reference, case.company_name, case.nib, case.company_id)


def _api_application(case) -> CaseInfo:
    name, nib, company_id = _company(case.company)
    regency = case.regency_id if case.step_code in ("api_inspection_regency", "api_bap_forward") else None
    return CaseInfo(case.reference, name, nib, company_id, case.issuer_id, regency)


def _api_change(case) -> CaseInfo:
    name, nib, company_id = _company(case.api.company)
    return CaseInfo(f"API-CHG-{case.pk:06d}", name, nib, company_id, case.api.issuer_id)


def _api_designation(case) -> CaseInfo:
    name, nib, company_id = _company(case.api.company)
    return CaseInfo(f"PI-API-{case.pk:06d}", name, nib, company_id)


def _sugar_application(case) -> CaseInfo:
    name, nib, company_id = _company(case.company)
    return CaseInfo(case.reference, name, nib, company_id)


def _sugar_amendment(case) -> CaseInfo:
    permit = case.sugar_permit
    name, nib, company_id = _company(permit.company)
    return CaseInfo(f"{permit.number}/P{case.pk}", name, nib, company_id)


@dataclass(frozen=True)
class Kind:
    kind: CaseKind
    model: str  # app_label.ModelName
    info: Callable[[models.Model], CaseInfo]
    url_name: str
    # The argument of ``url_name`` for one case: kinds shown on their parent's page (an API
    # change on the API's page) link there. Stored on the step, so a list needs no query.
    page_arg: Callable[[models.Model], str]


KINDS: dict[str, Kind] = {
    k.model: k
    for k in [
        Kind(CaseKind.REGISTRATION, "accounts.Registration", _registration, "registration_detail", lambda c: str(c.pk)),
        Kind(CaseKind.API_APPLICATION, "api_registry.ApiApplication", _api_application, "api-application", lambda c: str(c.pk)),
        Kind(CaseKind.API_CHANGE, "api_registry.ApiChangeRequest", _api_change, "api-detail", lambda c: str(c.api_id)),
        Kind(CaseKind.API_DESIGNATION, "api_registry.ProdusenImportir", _api_designation, "api-detail", lambda c: str(c.api_id)),
        Kind(CaseKind.SUGAR_APPLICATION, "sugar_import.SugarApplication", _sugar_application, "sugar-application", lambda c: str(c.pk)),
        Kind(CaseKind.SUGAR_AMENDMENT, "sugar_import.AmendmentRequest", _sugar_amendment, "sugar-permit", lambda c: c.sugar_permit.number),
    ]
}
BY_KIND: dict[str, Kind] = {k.kind: k for k in KINDS.values()}


def kind_of(case: models.Model) -> Kind:
    return KINDS[case._meta.label]


def step_url(step) -> str:
    """The page an officer opens for a step (no query)."""
    return reverse(BY_KIND[step.kind].url_name, args=[step.page_arg])
