"""Reads of the webhooks app. A company sees only its own endpoints and deliveries."""

from django.db.models import QuerySet

from webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_list(*, user) -> QuerySet[WebhookEndpoint]:
    if not (user and user.is_authenticated and user.company_id):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(company_id=user.company_id).order_by("-created_at", "-pk")


def endpoint_get(*, user, pk: int) -> WebhookEndpoint | None:
    return endpoint_list(user=user).filter(pk=pk).first()


def delivery_list(*, user, endpoint_id: int | None = None, state: str | None = None) -> QuerySet[WebhookDelivery]:
    if not (user and user.is_authenticated and user.company_id):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.filter(endpoint__company_id=user.company_id).select_related("event")
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")
