"""What the accounts app tells the core (issue 18, ``inatrade.registry``): the Hak Akses
registration as a case kind and its SLA steps, its periodic jobs, its demo users. Imported
from ``AccountsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inatrade import registry
from inatrade.registry import CaseInfo

# code: (name, name_en, working days or None, legal basis, responsible role, escalation role)
SLA_STEPS = {
    "hak_akses_validation": ("Validasi dokumen registrasi di UPTP I dan BAP",
                             "Registration documents validated at UPTP I, with the BAP", None, "P123 Pasal 6(2)",
                             "counter_officer", "director"),
    "hak_akses_field_verification": ("Verifikasi lapangan registrasi Hak Akses", "Field verification of a Hak Akses registration",
                                     None, "P123 Pasal 6(3)", "field_verifier", "director"),
    "hak_akses_grant": ("Pemberian Hak Akses setelah dokumen registrasi diterima lengkap dan benar",
                        "Access right granted after the registration documents are received complete", 2, "P123 Pasal 6(4)",
                        "director", "director_general"),
    "hak_akses_decision": ("Keputusan Direktur atas registrasi yang dokumennya tidak valid",
                           "Director's decision on a registration whose documents are not valid", None, "P123 Pasal 5",
                           "director", "director_general"),
}


def _registration(case) -> CaseInfo:
    return CaseInfo(case.reference, case.company_name, case.nib, case.company_id)


def _demo(out):
    from accounts import demo

    return demo.seed(out)


def register() -> None:
    registry.case_kind(
        code="registration", label=_("Registrasi Hak Akses"), model="accounts.Registration", info=_registration,
        url_name="registration_detail", steps=tuple(SLA_STEPS),
    )
    for code, (name, name_en, days, source, role, escalation) in SLA_STEPS.items():
        registry.sla_step(code=code, name=name, name_en=name_en, working_days=days, source=source,
                          responsible_role=role, escalation_role=escalation)
    registry.job(
        name="inactivity_revocation", service="accounts.services.access.inactivity_revocation",
        help="Warn 14 days before, revoke access unused for 6 months (HA-12, HA-13).", schedule={"hour": 1, "minute": 0},
    )
    registry.job(
        name="registration_documents_sweep", service="accounts.services.registration.registration_documents_sweep",
        help="Render registration documents and BAPs a lost task left unrendered (HA-05, HA-06).",
        schedule={"minute": "*/5"},
    )
    registry.job(
        name="registration_uploads_purge", service="accounts.services.wizard.registration_uploads_purge",
        help="Delete temporary uploads of registrations abandoned for two days (HA-03, issue 17).",
        schedule={"hour": 3, "minute": 15},
    )
    registry.demo(name="accounts", seed=_demo, order=10)
