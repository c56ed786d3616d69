"""REST endpoints of the officers' work list (SLA-03): ``GET /api/v1/work/`` with the same
filters as the page, ``POST /api/v1/work/{id}/claim`` and ``/release``. Thin: the selector
reads, the services decide; a step outside the caller's list answers 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OFFICER_ROLES
from accounts.permissions import role_permission
from inatrade.api.idempotency import idempotent
from inatrade.workdays import today
from workspace import selectors, services
from workspace.cases import step_url
from workspace.filters import Assigned

IsOfficer = role_permission(*OFFICER_ROLES)


class WorkStepOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    step = serializers.CharField(source="step_id")
    step_name = serializers.CharField(source="step.name")
    company_id = serializers.IntegerField(allow_null=True)
    party_name = serializers.CharField()
    party_nib = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text="working days left; negative once overdue")
    overdue = serializers.BooleanField()
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    assignee_name = serializers.SerializerMethodField()
    assigned_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_assignee_name(self, step) -> str | None:
        return (step.assignee.get_full_name() or step.assignee.username) if step.assignee_id else None

    def get_url(self, step) -> str:
        return step_url(step)


FILTER_PARAMETERS = [
    OpenApiParameter("kind", str, required=False, description="case kind code (inatrade.registry case kinds)"),
    OpenApiParameter("step", str, required=False, description="SLA step code (the case's status)"),
    OpenApiParameter("company", int, required=False),
    OpenApiParameter("overdue", bool, required=False),
    OpenApiParameter("assigned", str, enum=[Assigned.MINE, Assigned.UNASSIGNED], required=False),
    OpenApiParameter("q", str, required=False, description="reference, company name or NIB"),
]


class WorkListApi(ListAPIView):
    """The caller's work list, most urgent first (paginated: ``{count, count_capped, next, previous, results}``)."""

    permission_classes = [IsOfficer]
    serializer_class = WorkStepOutput
    filter_backends: list = []  # the selector filters (the same FilterSet as the page)

    def get_queryset(self):
        return selectors.work_list(user=self.request.user, filters=self.request.query_params, as_of=self.as_of)

    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request, *args, **kwargs):
        self.as_of = today()
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        return selectors.annotate_days_left(list(super().paginate_queryset(queryset)), as_of=self.as_of)


def _visible_step(request, pk: int):
    return get_object_or_404(selectors.steps_visible_to(user=request.user), pk=pk)


def _one(step) -> dict:
    step = selectors.annotate_days_left([step])[0]
    return WorkStepOutput(step).data


class WorkClaimApi(APIView):
    """Take the case; 409 ``already_claimed`` names the colleague who has it."""

    permission_classes = [IsOfficer]

    @extend_schema(request=None, responses={200: WorkStepOutput})
    @idempotent
    def post(self, request, pk: int):
        step = services.case_step_claim(step=_visible_step(request, pk), actor=request.user)
        return Response(_one(step))


class WorkReleaseApi(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=None, responses={200: WorkStepOutput})
    @idempotent
    def post(self, request, pk: int):
        step = services.case_step_release(step=_visible_step(request, pk), actor=request.user)
        step = selectors.steps_visible_to(user=request.user).select_related("step", "assignee").get(pk=step.pk)
        return Response(_one(step))
