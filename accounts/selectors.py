from django.utils.translation import gettext_lazy as _

from accounts.models import AccessStatus, Role, User
from inatrade.errors import DomainError


class NoActiveAccess(DomainError):
    code = "no_active_access"
    status = 403
    default_message = _("Hanya pemegang Hak Akses aktif yang dapat mengajukan permohonan.")


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
