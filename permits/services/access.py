"""Who may download a permit's signed PDF, and the log of every download (DOC-06)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from permits.models import Permit, PermitDownload, PermitVersion
from permits.services.common import PermitNotFound


def permit_can_download(*, permit: Permit, user) -> bool:
    """The holder's users, and the officials whose role and jurisdiction cover the permit
    (the same rule as the lists: ``selectors.permits_for_user``)."""
    from permits.selectors import permits_for_user

    if not (user and user.is_authenticated and user.has_active_access):
        return False
    return permits_for_user(user=user).filter(pk=permit.pk).exists()


def permit_download(*, permit: Permit, user, version: PermitVersion | None = None, channel: str = "web") -> PermitVersion:
    """Check access and log the download; raises PermitNotFound for anyone else (404: an
    importer never learns that another company's permit exists)."""
    if not permit_can_download(permit=permit, user=user):
        raise PermitNotFound()
    version = version or permit.current_version
    if version is None or not version.pdf_path or version.permit_id != permit.pk:
        raise PermitNotFound(_("Dokumen belum ditandatangani."))
    PermitDownload.objects.create(version=version, user=user, role=user.role, channel=channel)
    return version
