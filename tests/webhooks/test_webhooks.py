"""USE-04 webhooks: a company registers a public HTTPS endpoint; application and permit events
reach it signed (HMAC-SHA256), through a database outbox that survives a receiver being down,
never duplicates an event, and refuses addresses inside the portal's network (SSRF)."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import time

import pytest
from django.utils import timezone

from tests.conftest import token_client
from webhooks import services
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db


def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """The README's verification snippet, as an integrator would write it."""
    timestamp = headers["x-inatrade-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    signatures = [p.strip()[3:] for p in headers["x-inatrade-signature"].split(",") if p.strip().startswith("v1=")]
    return any(hmac.compare_digest(expected, s) for s in signatures)


def register(owner, url, **extra):
    response = token_client(owner).post("/api/v1/webhooks/endpoints/", {"url": url, **extra}, format="json")
    return response


def later(minutes=10 ** 4):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_delivery_carries_an_event_id_a_timestamp_and_a_signature_that_verifies__USE_04(
    owner, receiver, issue_permit, dirjen_certificate
):
    response = register(owner, receiver.url, description="ERP")
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    permit = issue_permit()  # signed after commit: permit.issued, delivered after that commit

    services.webhooks_deliver()  # the periodic job finds nothing left to send

    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert request["headers"]["x-inatrade-event-id"] == body["id"]
    assert request["headers"]["x-inatrade-event-type"] == body["type"] == "permit.issued"
    assert body["data"]["permit_number"] == permit.number and body["data"]["version"] == 1
    assert verify(secret, request["headers"], request["body"])
    assert not verify("whsec_wrong", request["headers"], request["body"])
    assert not verify(secret, request["headers"], request["body"].replace(b"permit.issued", b"permit.revoked"))


def test_a_receiver_that_is_down_gets_the_event_when_it_comes_back__USE_04(owner, receiver, issue_permit, dirjen_certificate):
    register(owner, receiver.url)
    receiver.stop()
    permit = issue_permit()  # the delivery after commit finds no one listening

    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()  # back-off
    assert services.webhooks_deliver()["due"] == 0  # not before its next attempt

    from permits.services import permit_freeze

    permit_freeze(permit=permit, actor=owner, reason="Laporan bulanan tidak disampaikan")
    receiver.start()  # back, on the same port
    services.webhooks_deliver(now=later())

    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["permit.issued", "permit.frozen"]
    listed = token_client(owner).get("/api/v1/webhooks/deliveries/").json()["results"]
    assert {(d["event"], d["state"], d["last_status_code"]) for d in listed} == {
        ("permit.issued", "delivered", 204), ("permit.frozen", "delivered", 204)}
    assert {d["attempts"] for d in listed} == {1, 2}


def test_one_event_is_one_delivery_and_its_id_deduplicates_repeats__USE_04(owner, receiver):
    from inatrade.events import emit

    register(owner, receiver.url)
    for _ in range(2):  # the reminder job run twice for the same period
        emit(event="report.due", company_id=owner.company_id, key="report.due:04.PI-05.26.0001:2026-11",
             payload={"permit_number": "04.PI-05.26.0001", "period": "2026-11", "deadline": "2026-12-15"})
    assert WebhookEvent.objects.count() == WebhookDelivery.objects.count() == 1

    receiver.mode = "error"  # the receiver records it, then fails: the sender must try again
    services.webhooks_deliver()
    receiver.mode = "ok"
    services.webhooks_deliver(now=later())
    services.webhooks_deliver(now=later())  # nothing left to send

    ids = [r["headers"]["x-inatrade-event-id"] for r in receiver.requests]
    assert len(ids) == 2 and ids[0] == ids[1]  # the retry carries the same event id
    assert list(receiver.events) == [str(WebhookEvent.objects.get().id)]  # so the receiver keeps one
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/hook", "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://100.64.0.1/hook",
    "http://203.0.113.10/hook", "https://user:pw@example.com/hook",
])
def test_a_forbidden_address_is_refused_at_registration__USE_04(owner, url):
    response = register(owner, url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("unsafe_url", "invalid")
    assert not WebhookEndpoint.objects.exists()


def test_every_resolved_address_is_checked_and_checked_again_at_delivery__USE_04(owner, receiver, monkeypatch, settings):
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
        return real(host, *args, **kwargs)

    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert register(owner, "https://hooks.example.com/inatrade").status_code == 400

    # Registered while local receivers were allowed; by delivery time they are not.
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    assert register(owner, receiver.url).status_code == 201
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    from inatrade.events import emit

    emit(event="report.due", company_id=owner.company_id, key="k1", payload={"period": "2026-11"})
    services.webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.last_error.startswith("refused")
    assert receiver.requests == []


def test_redirects_are_not_followed__USE_04(owner, receiver):
    from inatrade.events import emit

    register(owner, receiver.url)
    receiver.mode = "redirect"
    emit(event="report.due", company_id=owner.company_id, key="k2", payload={"period": "2026-11"})
    services.webhooks_deliver()
    assert [r["path"] for r in receiver.requests] == [receiver.path]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.last_status_code == 302


def test_a_rotated_secret_signs_and_the_previous_one_still_does_for_a_day__USE_04(owner, receiver):
    from inatrade.events import emit

    created = register(owner, receiver.url).json()
    client = token_client(owner)
    rotated = client.post(f"/api/v1/webhooks/endpoints/{created['id']}/rotate-secret").json()
    assert rotated["secret"] != created["secret"] and rotated["previous_secret_until"]
    emit(event="report.due", company_id=owner.company_id, key="k3", payload={"period": "2026-11"})
    services.webhooks_deliver()
    (request,) = receiver.requests
    assert verify(rotated["secret"], request["headers"], request["body"])
    assert verify(created["secret"], request["headers"], request["body"])
    assert "secret" not in client.get(f"/api/v1/webhooks/endpoints/{created['id']}").json()


def test_a_company_sees_only_its_own_endpoints_and_deliveries__USE_04(owner, colleague, outsider, receiver):
    from inatrade.events import emit

    endpoint = register(owner, receiver.url).json()
    emit(event="report.due", company_id=owner.company_id, key="k4", payload={"period": "2026-11"})
    assert len(token_client(colleague).get("/api/v1/webhooks/endpoints/").json()["results"]) == 1
    other = token_client(outsider)
    assert other.get("/api/v1/webhooks/endpoints/").json()["results"] == []
    assert other.get("/api/v1/webhooks/deliveries/").json()["results"] == []
    assert other.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}").status_code == 404
    assert other.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret").status_code == 404
    assert other.delete(f"/api/v1/webhooks/endpoints/{endpoint['id']}").status_code == 404
    assert WebhookEndpoint.objects.get().is_active


def test_a_disabled_endpoint_receives_nothing_more__USE_04(owner, receiver):
    from inatrade.events import emit

    endpoint = register(owner, receiver.url).json()
    disabled = token_client(owner).delete(f"/api/v1/webhooks/endpoints/{endpoint['id']}")
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    emit(event="report.due", company_id=owner.company_id, key="k5", payload={"period": "2026-11"})
    services.webhooks_deliver()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_access_expiring_is_announced_to_the_company__USE_04(owner, receiver):
    from accounts.services.access import inactivity_revocation

    register(owner, receiver.url)
    today = timezone.localdate()
    used = timezone.now() - dt.timedelta(days=180 - 7)
    type(owner).objects.filter(pk=owner.pk).update(last_used_at=used, access_granted_at=used)
    inactivity_revocation(as_of=today)
    services.webhooks_deliver()
    types = [json.loads(r["body"])["type"] for r in receiver.requests]
    assert "access.expiring" in types
    body = next(json.loads(r["body"]) for r in receiver.requests if json.loads(r["body"])["type"] == "access.expiring")
    assert body["data"]["user_id"] == owner.username and body["data"]["revoke_on"]


def test_a_failed_delivery_is_kept_and_can_be_sent_again__USE_04(owner, outsider, receiver, settings):
    """Never lost: after its last attempt a delivery is failed, visible, and the company can
    send it again."""
    from inatrade.events import emit

    settings.WEBHOOKS_RETRY_MAX_ATTEMPTS = 1
    register(owner, receiver.url)
    receiver.mode = "error"
    emit(event="report.due", company_id=owner.company_id, key="k6", payload={"period": "2026-11"})
    services.webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.last_status_code == 500
    assert token_client(outsider).post(f"/api/v1/webhooks/deliveries/{delivery.pk}/retry").status_code == 404

    receiver.mode = "ok"
    retried = token_client(owner).post(f"/api/v1/webhooks/deliveries/{delivery.pk}/retry")
    assert retried.status_code == 200 and retried.json()["state"] == "pending"
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    again = token_client(owner).post(f"/api/v1/webhooks/deliveries/{delivery.pk}/retry")
    assert again.status_code == 409
