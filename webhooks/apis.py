"""REST API of webhooks: a company's endpoints and their deliveries (USE-04).

Importer users with an active access right manage their own company's endpoints; anyone else
(another company, an officer) gets 404 or an empty list."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsImporter
from inatrade.api.errors import error_body
from inatrade.api.idempotency import idempotent
from inatrade.api.pagination import PageNumberPagination
from webhooks import selectors, services
from webhooks.models import DeliveryState, EventType


class EndpointOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    description = serializers.CharField(allow_blank=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.values),
                                   help_text="Subscribed event types; empty means all.")
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    previous_secret_until = serializers.DateTimeField(
        allow_null=True, help_text="After a rotation, until when the previous secret still adds a signature.")


class EndpointWithSecretOutput(EndpointOutput):
    secret = serializers.CharField(help_text="The signing secret; shown only when created or rotated.")


def _not_found():
    return Response(error_body("not_found", "Tidak ditemukan."), status=404)


class EndpointListCreateApi(APIView):
    """The company's webhook endpoints. Register an ``https://`` URL of a public address
    (private, loopback and link-local addresses are refused; redirects are never followed).
    The answer carries the signing ``secret`` once."""

    permission_classes = [IsImporter]
    pagination_class = PageNumberPagination

    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=500)
        description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.values), required=False,
                                       default=list, help_text="Event types to receive; empty or omitted means all.")

    @extend_schema(responses=EndpointOutput(many=True))
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.endpoint_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(EndpointOutput(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: EndpointWithSecretOutput})
    @idempotent
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        endpoint = services.endpoint_register(actor=request.user, **s.validated_data)
        return Response(EndpointWithSecretOutput(endpoint).data, status=201)


class EndpointDetailApi(APIView):
    permission_classes = [IsImporter]

    @extend_schema(responses=EndpointOutput)
    def get(self, request, pk: int):
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        if endpoint is None:
            return _not_found()
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(responses=EndpointOutput)
    @idempotent
    def delete(self, request, pk: int):
        """Disable the endpoint: nothing more is sent to it; its pending deliveries are failed."""
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        if endpoint is None:
            return _not_found()
        endpoint = services.endpoint_disable(endpoint=endpoint, actor=request.user)
        return Response(EndpointOutput(endpoint).data)


class EndpointRotateSecretApi(APIView):
    """A new secret signs from now on; for 24 hours the previous secret adds a second
    ``v1=`` signature, so the receiver can switch without losing events."""

    permission_classes = [IsImporter]

    @extend_schema(request=None, responses=EndpointWithSecretOutput)
    @idempotent
    def post(self, request, pk: int):
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        if endpoint is None:
            return _not_found()
        endpoint = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        return Response(EndpointWithSecretOutput(endpoint).data)


class DeliveryListApi(APIView):
    """Deliveries of the company's events with their last status, newest first."""

    permission_classes = [IsImporter]
    pagination_class = PageNumberPagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        event_id = serializers.UUIDField(source="event.id")
        event = serializers.CharField(source="event.event")
        endpoint = serializers.IntegerField(source="endpoint_id")
        state = serializers.ChoiceField(choices=DeliveryState.values)
        attempts = serializers.IntegerField()
        last_status_code = serializers.IntegerField(allow_null=True)
        last_error = serializers.CharField(allow_blank=True)
        last_attempt_at = serializers.DateTimeField(allow_null=True)
        next_attempt_at = serializers.DateTimeField()
        delivered_at = serializers.DateTimeField(allow_null=True)
        created_at = serializers.DateTimeField()

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=DeliveryState.values, required=False),
                    OpenApiParameter("endpoint", int, required=False)],
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        state = request.query_params.get("state") or None
        endpoint = request.query_params.get("endpoint") or None
        if state and state not in DeliveryState.values:
            return Response(error_body("invalid", "state tidak dikenal.", {"state": [f"one of {DeliveryState.values}"]}), status=400)
        if endpoint and not endpoint.isdigit():
            return Response(error_body("invalid", "endpoint harus berupa angka.", {"endpoint": ["integer"]}), status=400)
        paginator = PageNumberPagination()
        qs = selectors.delivery_list(user=request.user, endpoint_id=int(endpoint) if endpoint else None, state=state)
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class DeliveryRetryApi(APIView):
    """Send a failed delivery again now (after its retries ran out, or the endpoint was fixed)."""

    permission_classes = [IsImporter]

    @extend_schema(request=None, responses=DeliveryListApi.OutputSerializer)
    @idempotent
    def post(self, request, pk: int):
        delivery = selectors.delivery_list(user=request.user).filter(pk=pk).first()
        if delivery is None:
            return _not_found()
        delivery = services.delivery_requeue(delivery=delivery, actor=request.user)
        return Response(DeliveryListApi.OutputSerializer(delivery).data)
