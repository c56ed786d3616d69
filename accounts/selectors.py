from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import AccessStatus, Role, User
from inatrade.errors import DomainError


class NoActiveAccess(DomainError):
    code = "no_active_access"
    status = 403
    default_message = _("Hanya pemegang Hak Akses aktif yang dapat mengajukan permohonan.")


@dataclass(frozen=True)
class Recipients:
    """Who a company's notices go to: its own address and its active importers' addresses,
    in the language the company's first active importer chose."""

    emails: list[str]
    language: str


def company_recipients(company) -> Recipients:
    """The one definition of a company's e-mail recipients (issue 18): a blocked or revoked
    user (HA-10, HA-12) no longer receives the company's notices; the company's own address
    always does."""
    users = list(
        User.objects.filter(company=company, role=Role.IMPORTER, access_status=AccessStatus.ACTIVE, is_active=True)
        .order_by("pk").values_list("email", "preferred_language")
    )
    emails = sorted({company.email, *(email for email, _language in users)} - {""})
    return Recipients(emails=emails, language=(users[0][1] if users else "") or "id")


def user_assert_can_submit(*, user: User) -> None:
    """HA-15: the one check every app calls before accepting an application from a user.

    Only an importer with an active access right and a company may submit (P123 Pasal 4).
    """
    if not (
        user.is_authenticated
        and user.is_active
        and user.role == Role.IMPORTER
        and user.access_status == AccessStatus.ACTIVE
        and user.company_id is not None
    ):
        raise NoActiveAccess()


def registration_work_list(*, status: str | None = None, as_of=None):
    """SLA-03/HA-06: the officers' work list, most urgent first (due date, then age), with
    ``overdue`` computed in the database (constant number of queries at any size)."""
    from django.db.models import BooleanField, Case, F, Value, When

    from accounts.models import OPEN_REGISTRATION_STATUSES, Registration
    from inatrade.workdays import today

    as_of = as_of or today()
    qs = Registration.objects.select_related("field_verifier", "decided_by").annotate(
        overdue=Case(
            When(status__in=OPEN_REGISTRATION_STATUSES, due_date__lt=as_of, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(F("due_date").asc(nulls_last=True), "submitted_at")


def registration_for_key(*, key: str):
    """The registration of an applicant's secret link (HA-05), or None."""
    from accounts.models import Registration

    if not key or len(key) > 64:
        return None
    return Registration.objects.filter(access_key=key).first()


def registration_next_step(registration) -> str:
    """What happens next, for the applicant's status page (AUD-02)."""
    from accounts.models import RegistrationStatus as S

    return {
        S.SUBMITTED: _("Cetak Dokumen Registrasi INATRADE, tanda tangani di atas materai, dan serahkan ke UPTP I dengan menunjukkan dokumen asli."),
        S.FIELD_VERIFICATION: _("Petugas yang ditunjuk Direktur sedang melakukan verifikasi lapangan; setelah itu UPTP I memvalidasi dokumen."),
        S.VALIDATED: _("Dokumen telah divalidasi. Direktur memutuskan Hak Akses paling lambat pada batas waktu di bawah (2 hari kerja, Pasal 6 ayat (4))."),
        S.INVALID: _("Dokumen dinyatakan tidak valid oleh UPTP I; Direktur akan memutuskan registrasi ini."),
        S.APPROVED: _("Hak Akses disetujui. ID pengguna dan tautan pemasangan kata sandi telah dikirim ke email Anda."),
        S.REJECTED: _("Registrasi ditolak. Alasannya telah dikirim ke email Anda; Anda dapat mengajukan registrasi baru."),
    }[registration.status]


# --------------------------------------------------------------------------- HA-14 / SEC-01
def companies_with_identity(*, npwp: str = "", nib: str = ""):
    """The companies registered under ``npwp`` or ``nib`` (blank values match nothing)."""
    from django.db.models import Q

    from accounts.models import Company

    q = Q(pk__in=[])
    if npwp:
        q |= Q(npwp=npwp)
    if nib:
        q |= Q(nib=nib)
    return Company.objects.filter(q).order_by("-created_at", "-pk")


def company_access_is_revoked(company) -> bool:
    """HA-14: a company may be registered again only when its access right was revoked: it
    has had importer users, and every one of them is revoked (P123 Pasal 16). A company with
    an active or blocked user still has a holder (a blocked one reports lost credentials,
    HA-10); a company with no importer user at all was not revoked either."""
    users = User.objects.filter(company=company, role=Role.IMPORTER)
    return users.exists() and not users.exclude(access_status=AccessStatus.REVOKED).exists()


def registration_what_next(registration) -> dict:
    """The registration's end page (issue 17): where and when to bring what, and how many
    working days the decision takes once the documents are complete (the SLA table, SLA-04,
    not a number written in the page)."""
    from django.conf import settings

    from accounts.models import DocumentKind
    from inatrade.models import SlaStep

    grant = SlaStep.objects.filter(code="hak_akses_grant").values("working_days", "source").first() or {}
    uploaded = set(registration.documents.values_list("kind", flat=True))
    originals = [label for kind, label in DocumentKind.choices
                 if kind in uploaded and kind != DocumentKind.POWER_OF_ATTORNEY]
    bring = [
        _("Dokumen Registrasi INATRADE yang dicetak dan ditandatangani di atas materai."),
        *[_("Asli %(document)s.") % {"document": label} for label in originals],
        _("Kartu identitas penanggung jawab (KTP atau paspor) yang asli."),
    ]
    if DocumentKind.POWER_OF_ATTORNEY in uploaded:
        bring.append(_("Surat kuasa asli bila Anda mendaftar atas nama perusahaan."))
    return {
        "address": settings.UPTP_I_ADDRESS, "hours": settings.UPTP_I_HOURS, "bring": bring,
        "working_days": grant.get("working_days"), "source": grant.get("source", ""),
    }
