"""Audit actions and roles in words, for the timelines applicants and officers read (AUD-02)."""

from django.utils.translation import gettext_lazy as _

# Actions are named ``<object>.<verb>`` (issue 18); each ``inatrade.transitions.Machine`` and
# each app's ``apps.py`` registers the labels of its own actions with ``register``. The names
# below are the ones rows were written with before that rename: history is never rewritten,
# so they keep their words here.
ACTION_LABELS = {
    # Hak Akses
    "registration_submitted": _("Registrasi diajukan"),
    "field_verification_assigned": _("Verifikasi lapangan ditugaskan"),
    "field_verification_recorded": _("Hasil verifikasi lapangan dicatat"),
    "registration_validated": _("Validasi UPTP I dan BAP"),
    "registration_approved": _("Hak Akses disetujui"),
    "registration_rejected": _("Registrasi ditolak"),
    "access_granted": _("Hak Akses diberikan"),
    "access_revoked": _("Hak Akses dicabut"),
    "access_revoked_inactive": _("Hak Akses dicabut karena tidak digunakan"),
    "credentials_reported_lost": _("Kehilangan akun dilaporkan"),
    "set_password_link_resent": _("Tautan pembuatan kata sandi dikirim ulang"),
    "password_set": _("Kata sandi dibuat"),
    "password_changed": _("Kata sandi diubah"),
    "login": _("Masuk ke portal"),
    "login_failed": _("Gagal masuk"),
    "login_locked": _("Akun dikunci sementara"),
    "api_token_created": _("Token API dibuat"),
    "api_token_revoked": _("Token API dicabut"),
    "password_reset": _("Kata sandi diatur ulang oleh Tim Pengelola"),
    "password_reset_requested": _("Tautan atur ulang kata sandi diminta"),
    "company_details_updated": _("Data perusahaan diubah"),
    # API
    "record_nib": _("API dicatat dari NIB (OSS)"),
    "create": _("Draf dibuat"),
    "submit": _("Diajukan"),
    "inspect": _("Pemeriksaan lapangan, BAP ditandatangani"),
    "forward": _("BAP disampaikan ke Provinsi"),
    "approve": _("Disetujui"),
    "reject": _("Ditolak"),
    "issue": _("Diterbitkan"),
    "amend": _("Perubahan diterbitkan"),
    "freeze": _("Dibekukan"),
    "reactivate": _("Diaktifkan kembali"),
    "revoke": _("Dicabut"),
    "reregister": _("Daftar ulang"),
    # Sugar PI
    "sugar_application_create": _("Draf dibuat"),
    "sugar_application_update": _("Permohonan diperbaiki"),
    "sugar_document_add": _("Dokumen diunggah"),
    "sugar_application_submit": _("Diajukan, diterima lengkap"),
    "sugar_application_return": _("Dikembalikan untuk perbaikan"),
    "sugar_application_approve": _("Disetujui, PI diterbitkan"),
    "sugar_application_reject": _("Ditolak"),
    "sugar_amendment_submit": _("Perubahan diajukan"),
    "sugar_amendment_approve": _("Perubahan disetujui"),
    "sugar_amendment_reject": _("Perubahan ditolak"),
    "exemption_submit": _("Permohonan surat keterangan dicatat UPTP I"),
    "exemption_approve": _("Surat keterangan diterbitkan"),
    "exemption_reject": _("Permohonan surat keterangan ditolak"),
    "sugar_permit_freeze": _("PI dibekukan"),
    "sugar_permit_reactivate": _("PI diaktifkan kembali"),
    "sugar_permit_revoke": _("PI dicabut"),
    "monthly_report_submit": _("Laporan realisasi bulanan disampaikan"),
    "recommendation_record": _("Rekomendasi dicatat"),
    "quota_record": _("Kuota dicatat"),
    "surveyor_designate": _("Surveyor ditetapkan"),
    "surveyor_revoke": _("Penetapan surveyor dicabut"),
    "surveyor_report_record": _("Laporan surveyor dicatat"),
    "surveyor_monthly_report": _("Laporan bulanan surveyor disampaikan"),
    # Permit documents
    "permit_issue": _("Dokumen perizinan dibuat"),
    "permit_amend": _("Dokumen perizinan diubah"),
    "permit_sign": _("Dokumen ditandatangani secara elektronik"),
    "permit_signing_retry": _("Penandatanganan diulang"),
    "permit_freeze": _("Perizinan dibekukan"),
    "permit_reactivate": _("Perizinan diaktifkan kembali"),
    "permit_revoke": _("Perizinan dicabut"),
    "signing_certificate_register": _("Sertifikat tanda tangan didaftarkan"),
    "insw_requeue": _("Pengiriman ke INSW diulang"),
    "sla_sweep": _("Pemeriksaan batas waktu layanan"),
    # Officers' workspace
    "case_claim": _("Ditangani oleh petugas"),
    "case_release": _("Dilepas ke daftar kerja"),
}


def register(labels: dict) -> None:
    """Add the words of an app's audit actions (``{"<object>.<verb>": _("...")}``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# The words of each role, given by the app that defines the roles (accounts registers them in
# its AppConfig.ready): core names no feature app.
ROLE_LABELS: dict = {}


def register_roles(choices) -> None:
    """Add the words of the roles (``Role.choices``: pairs of value and label)."""
    ROLE_LABELS.update(dict(choices))


def role_label(role: str) -> str:
    if role == "system" or not role:
        return str(_("sistem"))
    return str(ROLE_LABELS.get(role, role))
