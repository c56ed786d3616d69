"""What the sugar API views share: permissions, pagination, upload errors."""

from __future__ import annotations

from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import role_permission
from inatrade.api.errors import error_body
from inatrade.api.pagination import PageNumberPagination
from inatrade.files import UploadRefused
from sugar_import import services
from sugar_import.selectors import SUGAR_OFFICER_ROLES

ALL_ROLES = tuple(Role.values)
IsImporter = role_permission(Role.IMPORTER)
CanRead = role_permission(*ALL_ROLES)
IsDirectorGeneral = role_permission(Role.DIRECTOR_GENERAL)
IsChecker = role_permission(*services.CHECKERS)
IsAdministrator = role_permission(Role.ADMINISTRATOR)
CanRecord = role_permission(Role.AGENCY, Role.IMPORTER)
CanApply = role_permission(Role.IMPORTER, Role.COUNTER_OFFICER)
ReadsApplications = role_permission(Role.IMPORTER, *SUGAR_OFFICER_ROLES)
ReadsPermits = role_permission(Role.IMPORTER, Role.SURVEYOR, *SUGAR_OFFICER_ROLES)


def paginate(view, request, qs, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def upload_error(exc: UploadRefused, field: str):
    return Response(error_body(exc.code, exc.messages[0], {field: [exc.messages[0]]}), status=exc.status)

