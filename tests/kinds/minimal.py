"""A minimal kind of permit, defined entirely outside the portal's own apps: the worked example
of docs/adding-a-permit-kind.md (issue 18).

"Izin Impor Contoh" (a sample-goods import permit): an importer applies, the Director General
approves within 2 working days, the portal issues a signed letter. Everything the portal does
with it comes from what ``register()`` tells ``inatrade.registry`` (and ``permits.scopes``);
no central file names it.

A real kind lives in its own Django app (listed in INSTALLED_APPS, with a migration for its
model). This test kind's model is declared under the app label ``kinds_contoh``, which is not
installed, and the test creates its table with the schema editor inside the test's transaction
(rolled back afterwards): so the test needs no test-only settings or migration and leaves the
migration graph as it is.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from inatrade import registry
from inatrade.registry import CaseInfo
from inatrade.transitions import Machine

KIND = "contoh"
STEP = "contoh_decision"
TEMPLATE = "kinds/contoh.html"


class SampleApplication(models.Model):
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="+")
    goods = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="submitted")
    permit_number = models.CharField(max_length=80, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "kinds_contoh"

    @property
    def reference(self) -> str:
        return f"CONTOH-{self.pk:06d}"


# The one transition mechanism (inatrade/transitions.py): the allowed moves, the audit action
# names ``sample_application.<verb>`` and their words for the timelines.
MACHINE = Machine(
    name="sample_application", model=SampleApplication,
    moves={"approve": ({"submitted"}, "approved"), "reject": ({"submitted"}, "rejected")},
    labels={"approve": "Izin contoh disetujui", "reject": "Izin contoh ditolak"},
)


def _info(case) -> CaseInfo:
    return CaseInfo(case.reference, case.company.name, case.company.nib, case.company_id)


def content(case) -> dict:
    company = case.company
    return {
        "title": "Izin Impor Contoh Barang",
        "holder": {"name": company.name, "address": company.address, "nib": company.nib, "npwp": company.npwp},
        "holder_documents": [{"label": "NIB", "value": company.nib}],
        "conditions": ["Barang contoh tidak untuk diperdagangkan."],
        "goods": case.goods,
    }


def number(case) -> str:
    return f"CONTOH/{case.submitted_at:%Y}/{case.pk:06d}"


def _monthly(year: int) -> dict:
    from permits.models import Permit
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    grouped = (Permit.objects.filter(kind=KIND, valid_from__year=year).annotate(month=TruncMonth("valid_from"))
               .values("month").annotate(n=Count("pk")).order_by())
    return {g["month"]: g["n"] for g in grouped}


def _scope(user):
    from django.db.models import Q

    return Q() if user.role in ("director_general", "administrator") else None


def register() -> None:
    from permits.scopes import register_permit_scope

    registry.case_kind(code=KIND, label="Izin impor contoh", model="kinds_contoh.SampleApplication", info=_info,
                       url=lambda arg: f"/work/?q=CONTOH-{int(arg):06d}", steps=(STEP,))
    registry.sla_step(code=STEP, name="Keputusan izin impor contoh", name_en="Sample import permit decided",
                      working_days=2, source="Contoh Pasal 1", responsible_role="director_general", escalation_role="director")
    registry.permit_kind(code=KIND, label="Izin Impor Contoh", template=TEMPLATE, required=("goods",),
                         content=content, number=number)
    registry.dashboard_series(key=KIND, label="Izin contoh", monthly=_monthly, order=90)
    registry.job(name="contoh_noop", service="tests.kinds.minimal.noop_job", help="A registered job of the minimal kind.",
                 schedule={"hour": 4, "minute": 0})
    register_permit_scope(kinds=(KIND,), scope=_scope)
    from inatrade.audit_labels import register as register_labels

    register_labels({"sample_application.submit": "Izin contoh diajukan"})


def unregister() -> None:
    from permits.scopes import _SCOPES

    for table, key in ((registry.CASE_KINDS, KIND), (registry.SLA_STEPS, STEP), (registry.PERMIT_KINDS, KIND),
                       (registry.DASHBOARD_SERIES, KIND), (registry.JOBS, "contoh_noop"), (_SCOPES, KIND)):
        registry.unregister(table, key)


def noop_job(*, as_of) -> dict:
    return {"open": SampleApplication.objects.filter(status="submitted").count()}


# --------------------------------------------------------------------------- the kind's services


def apply(*, company, goods: str, actor) -> SampleApplication:
    from inatrade.audit import audit_record
    from workspace.services import case_step_start

    with transaction.atomic():
        case = SampleApplication.objects.create(company=company, goods=goods)
        case_step_start(case=case, step=STEP)
        audit_record(obj=case, action="sample_application.submit", actor=actor, to_state="submitted", company=company)
    return case


def approve(*, case: SampleApplication, actor):
    from permits.services import permit_issue
    from workspace.models import Outcome
    from workspace.services import case_step_finish

    kind = registry.PERMIT_KINDS[KIND]
    with transaction.atomic():
        case = MACHINE.lock(case.pk)
        MACHINE.target("approve", case.status)  # refuse before issuing anything (409 invalid_transition)
        permit = permit_issue(kind=KIND, holder=case.company, number=kind.number(case), content=kind.content(case),
                              signer=actor, actor=actor, source=case)
        case.permit_number = permit.number
        MACHINE.apply(case, "approve", actor=actor, company=case.company, update_fields=["permit_number"])
        case_step_finish(case=case, outcome=Outcome.APPROVED)
    return permit
