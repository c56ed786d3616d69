"""What the API registry's services share: constants of P27, who may act, the reason codes,
the company's notices and the API document kept by the permits app."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import company_recipients, user_assert_can_submit
from api_registry.models import (
    Api,
    ApiKind,
    ApiSanctionReason,
    ApiVersion,
    Issuer,
    IssuerKind,
    IssuerMembership,
)
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.notifications import email_queue

REREGISTRATION_YEARS = 5  # P27 Pasal 15(2)
REREGISTRATION_GRACE_WORKING_DAYS = 30  # P27 Pasal 15(3)
REMINDER_DAYS = (60, 14)  # API-07: reminders before the fifth anniversary
CHANGE_REPORT_DAYS = 30  # P27 Pasal 31(1)
UNDATED_ISSUE_STEP = "api_issue"  # BKPM / a zone authority: P27 sets no deadline
# SLA-04: a rejection has its own, longer deadline than the issue of the same step.
REJECT_STEP_OF = {"api_issue_province": "api_reject_province", "api_p_issue_dg": "api_p_reject_dg"}
QUARTERLY_REPORT_GRACE_DAYS = 15  # design choice: a quarter's report is late 15 days after it ends
DIRECTOR_GENERAL_NAME = "Direktur Jenderal Perdagangan Luar Negeri"  # the issuer of a NIB-as-API's sanctions


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _reason(kind: str, code: str) -> ApiSanctionReason:
    """The API-09 reason of ``kind`` with ``code``; 400 ``invalid_reason_code`` if unknown."""
    reason = ApiSanctionReason.objects.filter(kind=kind, code=code).first()
    if reason is None:
        raise RuleViolation(
            _("Kode alasan tidak dikenal."), code="invalid_reason_code",
            fields={"reason_code": [_("Pilih salah satu kode alasan %(kind)s.") % {"kind": kind}]},
        )
    return reason


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})


def _company_notice(company, *, template: str, context: dict, also_to: list[str] = ()) -> None:
    """Queue a notice to the company's recipients (``accounts.selectors.company_recipients``:
    a revoked or blocked user receives none), plus ``also_to``, in the company's language."""
    recipients = company_recipients(company)
    email_queue(template=template, to=list(dict.fromkeys([*recipients.emails, *also_to])), context=context,
                language=recipients.language)


# --------------------------------------------------------------------------- who may act


def _is_decider(user, issuer: Issuer | None) -> bool:
    """The issuer itself: the DG for its route and for NIB-as-API records, a province-level
    (not Kab/Kota) member for the others."""
    if issuer is None or issuer.kind == IssuerKind.DIRECTOR_GENERAL:
        return user.role == Role.DIRECTOR_GENERAL
    return (
        user.role == Role.ISSUER_OFFICER
        and IssuerMembership.objects.filter(user=user, issuer=issuer, regency__isnull=True).exists()
    )


def _assert_decider(user, issuer: Issuer | None) -> None:
    if not (user.is_authenticated and user.has_active_access and _is_decider(user, issuer)):
        raise NotAllowed(_("Hanya petugas instansi penerbit API ini yang dapat melakukan tindakan ini."))


def _assert_holder(user, api: Api) -> None:
    user_assert_can_submit(user=user)
    if user.company_id != api.company_id:
        raise NotAllowed(_("Hanya pemegang API yang dapat melakukan tindakan ini."))


# --------------------------------------------------------------------------- the API document (API-06)


def _new_version(api: Api, *, company_name: str, address: str, directors: str, line_of_business: str, npwp: str) -> ApiVersion:
    return ApiVersion.objects.create(
        api=api, version=api.version, company_name=company_name, address=address, directors=directors,
        line_of_business=line_of_business, npwp=npwp, issued_at=timezone.now(),
    )


def _api_document_content(api: Api, version: ApiVersion) -> dict:
    """The content of the API document for ``permits`` (kinds ``api_u`` / ``api_p``)."""
    app = api.application
    company = api.company
    fields = []
    if api.hs_section_id:
        section = api.hs_section
        fields.append({"label": "Kelompok/jenis barang (bagian HS)",
                       "value": f"Bagian {section.roman}: {section.title} (Bab {section.chapter_from:02d}–{section.chapter_to:02d})"})
    if version.line_of_business:
        fields.append({"label": "Bidang usaha", "value": version.line_of_business})
    if version.directors:
        fields.append({"label": "Pengurus/Direksi", "value": version.directors})
    fields.append({"label": "Instansi penerbit", "value": api.issuer.name if api.issuer else ""})
    fields.append({"label": "Daftar ulang paling lambat", "value": api.reregistration_due.isoformat() if api.reregistration_due else ""})
    holder_documents = [{"label": "Izin usaha / NIB", "value": company.nib or "-"}]
    if app and app.bap_number:
        holder_documents.append({"label": "Berita Acara Pemeriksaan", "value": app.bap_number})
    kind_label = "Umum (API-U)" if api.kind == ApiKind.API_U else "Produsen (API-P)"
    return {
        "title": f"Angka Pengenal Importir {kind_label}",
        "holder": {"name": version.company_name, "address": version.address, "nib": company.nib, "npwp": version.npwp},
        "holder_documents": holder_documents,
        "fields": fields,
        "application": {
            "number": app.reference if app else api.number,
            "date": (timezone.localtime(app.submitted_at).date().isoformat() if app and app.submitted_at else api.issued_on.isoformat()),
        },
        "conditions": [
            "API berlaku untuk setiap kegiatan impor di seluruh wilayah Indonesia, bagi kantor pusat dan kantor cabang "
            "yang memiliki kegiatan usaha sejenis (Pasal 14 Permendag 27/M-DAG/PER/5/2012).",
            "API berlaku selama importir menjalankan kegiatan usahanya dan wajib didaftar ulang setiap 5 (lima) tahun (Pasal 15).",
            "Setiap perubahan data API wajib dilaporkan paling lama 30 (tiga puluh) hari sejak terjadinya perubahan (Pasal 31).",
            "Realisasi impor wajib dilaporkan setiap 3 (tiga) bulan, terealisasi atau tidak (Pasal 29).",
        ]
        + (["Barang yang diimpor dengan API-U hanya barang dalam bagian HS yang tercantum (Pasal 4)."] if api.kind == ApiKind.API_U else
           ["Barang yang diimpor dengan API-P dilarang diperdagangkan atau dipindahtangankan (Pasal 5(2))."]),
        "version": version.version,
    }


def api_permit_for(api: Api):
    """The permits-app document of an API (None before issuance or for a NIB-as-API)."""
    from permits.models import Permit

    return Permit.objects.filter(number=api.number, kind__in=("api_u", "api_p")).select_related("current_version").first()


def _api_document_issue(*, version: ApiVersion, actor) -> None:
    """API-06 (P27 Pasal 27): the API document, API-U light blue and API-P light green with the
    ministry's emblem, rendered, signed (DOC-02) and verifiable by the permits app.

    The first version is issued with ``permits.services.permit_issue`` (kind ``api_u`` or
    ``api_p``, template ``permits/pdf/api.html``); an amendment (API-08) is a new version with
    ``permit_amend``, the old version superseded but kept (DOC-06). Signing runs after commit.
    """
    from permits.services import permit_amend, permit_issue

    api = version.api
    content = _api_document_content(api, version)
    kind = "api_u" if api.kind == ApiKind.API_U else "api_p"
    if version.version == 1:
        permit = permit_issue(
            kind=kind, holder=api.company, number=api.number, content=content, signer=actor,
            valid_from=api.issued_on, title=content["title"], source=api, actor=actor, issued_on=api.issued_on,
        )
        reference = f"{permit.number} v1"
    else:
        permit = api_permit_for(api)
        if permit is None:
            raise InvalidTransition(_("Dokumen API belum diterbitkan."), code="api_document_missing")
        permit_version = permit_amend(
            permit=permit, content=content, signer=actor, actor=actor, reason=f"Perubahan data API (versi {version.version}, Pasal 31)",
        )
        reference = f"{permit.number} v{permit_version.version_no}"
    ApiVersion.objects.filter(pk=version.pk).update(permit_reference=reference)


def _api_document_status(*, api: Api, action: str, actor, reason: str) -> None:
    """Mirror a freeze, reactivation or revocation of the API on its document, so public
    verification (DOC-04) and INSW see it (API-09). A document whose state does not allow the
    move (e.g. already frozen) is left as it is: the permits app's machine refuses it."""
    from permits.services import permit_freeze, permit_reactivate, permit_revoke

    permit = api_permit_for(api)
    if permit is None:
        return
    service = {"freeze": permit_freeze, "reactivate": permit_reactivate, "revoke": permit_revoke}[action]
    try:
        with transaction.atomic():
            service(permit=permit, actor=actor, reason=reason or action)
    except InvalidTransition:
        return  # the document is already in that state (or past it): nothing to mirror
