"""Writes of the permits app: issue, sign, amend, freeze, reactivate, revoke, download, and
the INSW outbox. Other apps call these; every interface (views, API, admin, tasks, commands)
goes through them.

Public entry points for other apps:

    permit_issue(*, kind, holder, number, content, signer, valid_from, valid_until=None,
                 title="", source=None, actor=None, issued_on=None) -> Permit
    permit_amend(*, permit, content, signer, actor, reason, valid_until=<unchanged>, issued_on=None) -> PermitVersion
    permit_freeze(*, permit, actor, reason) -> Permit
    permit_reactivate(*, permit, actor, reason) -> Permit
    permit_revoke(*, permit, actor, reason) -> Permit
    permit_supersede(*, permit, actor, reason) -> Permit
    permits_bulk_transition(*, permit_ids, verb, reason, actor=None) -> list[int]
    permit_download(*, permit, user, version=None, channel="web") -> PermitVersion

The package by sub-domain: ``issue`` (certificates, issue, amend), ``signing`` (the worker,
failures, retry, sweep: REL-06), ``status`` (one permit's transitions) and ``bulk`` (a set's,
for the jobs), ``insw`` (the outbox, DOC-05), ``access`` (downloads).
"""

from permits.services.access import permit_can_download, permit_download
from permits.services.bulk import permits_bulk_transition
from permits.services.common import PermitNotFound
from permits.services.insw import (
    INSW_BATCH,
    INSW_RETRY_BASE,
    INSW_RETRY_MAX,
    insw_events_add,
    insw_outbox_deliver,
    insw_outbox_requeue,
    insw_payload,
    outbox_add,
    pdf_url_parts,
)
from permits.services.issue import (
    permit_amend,
    permit_issue,
    queue_signing,
    signing_certificate_register,
)
from permits.services.signing import (
    SIGNING_DB_ATTEMPTS,
    SIGNING_LEASE,
    SIGNING_RETRY_BASE,
    SIGNING_RETRY_MAX,
    SIGNING_RETRY_ROLES,
    permit_sign_version,
    permit_signing_retry,
    permit_signing_sweep,
    render_version_html,
    render_version_pdf,
)
from permits.services.status import (
    permit_freeze,
    permit_reactivate,
    permit_revoke,
    permit_supersede,
)

__all__ = [
    "INSW_BATCH",
    "INSW_RETRY_BASE",
    "INSW_RETRY_MAX",
    "SIGNING_DB_ATTEMPTS",
    "SIGNING_LEASE",
    "SIGNING_RETRY_BASE",
    "SIGNING_RETRY_MAX",
    "SIGNING_RETRY_ROLES",
    "PermitNotFound",
    "insw_events_add",
    "insw_outbox_deliver",
    "insw_outbox_requeue",
    "insw_payload",
    "outbox_add",
    "pdf_url_parts",
    "permit_amend",
    "permit_can_download",
    "permit_download",
    "permit_freeze",
    "permit_issue",
    "permit_reactivate",
    "permit_revoke",
    "permit_sign_version",
    "permit_signing_retry",
    "permit_signing_sweep",
    "permit_supersede",
    "permits_bulk_transition",
    "queue_signing",
    "render_version_html",
    "render_version_pdf",
    "signing_certificate_register",
]
