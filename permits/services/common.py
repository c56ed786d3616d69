"""What the services of permits share: the not-found error and the retry back-off."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from inatrade import audit_labels
from inatrade.errors import DomainError

# The audit actions of permits that are not moves of ``permit_machine`` (those register their
# words through the machine). Rows written before issue 18 keep their old names
# (``permit_issue``, ``insw_requeue``, ...), whose words stay in ``inatrade.audit_labels``.
ISSUE, AMEND, SIGNING_RETRY = "permit.issue", "permit.amend", "permit.signing_retry"
CERTIFICATE_REGISTER, INSW_REQUEUE = "signing_certificate.register", "insw.requeue"
audit_labels.register({
    ISSUE: _("Dokumen perizinan dibuat"),
    AMEND: _("Dokumen perizinan diubah"),
    SIGNING_RETRY: _("Penandatanganan diulang"),
    CERTIFICATE_REGISTER: _("Sertifikat tanda tangan didaftarkan"),
    INSW_REQUEUE: _("Pengiriman ke INSW diulang"),
})


class PermitNotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Perizinan tidak ditemukan.")


def backoff(base: dt.timedelta, attempts: int, cap: dt.timedelta) -> dt.timedelta:
    """``base`` doubled for each attempt after the first, at most ``cap``."""
    return min(cap, base * (2 ** max(0, attempts - 1)))
