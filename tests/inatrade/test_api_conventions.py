"""api.md conventions: the one error shape, token auth, pagination, Idempotency-Key."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import path
from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.models import AccessStatus, ApiToken
from inatrade.api.errors import api_server_error
from inatrade.api.idempotency import idempotent
from inatrade.audit import audit_record
from inatrade.errors import InvalidTransition
from inatrade.models import AuditEntry
from tests.conftest import token_client
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _assert_error_shape(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_an_unknown_api_route_answers_404_in_the_error_shape(api_client):
    _assert_error_shape(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_wrong_method_answers_405_in_the_error_shape(owner_api):
    _assert_error_shape(owner_api.get("/api/v1/auth/token"), 405, "method_not_allowed")


def test_an_anonymous_call_answers_401_in_the_error_shape(api_client):
    _assert_error_shape(api_client.get("/api/v1/me"), 401, "not_authenticated")


def test_invalid_input_answers_400_with_the_fields(api_client):
    error = _assert_error_shape(api_client.post("/api/v1/auth/token", {"username": ""}, format="json"), 400, "invalid")
    assert "username" in error["fields"] and "password" in error["fields"]


def test_a_server_error_answers_500_in_the_error_shape(rf):
    response = api_server_error(rf.get("/api/v1/me"))
    assert response.status_code == 500
    import json

    assert json.loads(response.content)["error"]["code"] == "server_error"


def test_throttling_answers_429_in_the_error_shape(api_client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "2/minute"})
    for _ in range(2):
        api_client.post("/api/v1/auth/token", {"username": "x", "password": "y"}, format="json")
    _assert_error_shape(api_client.post("/api/v1/auth/token", {"username": "x", "password": "y"}, format="json"), 429, "throttled")


def test_a_token_is_issued_for_valid_credentials_and_authenticates(api_client, owner):
    response = api_client.post("/api/v1/auth/token", {"username": owner.username, "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/v1/me").json()
    assert me["username"] == "4C7ADA"
    assert me["roles"] == ["importer"]
    assert me["company"]["name"] == "PT Gula Manis Sejahtera"
    assert me["access_status"] == "active"
    # Only the hash of the key is stored.
    assert not ApiToken.objects.filter(key_hash=response.json()["token"]).exists()


def test_wrong_credentials_answer_401(api_client, owner):
    _assert_error_shape(
        api_client.post("/api/v1/auth/token", {"username": owner.username, "password": "Salah#123"}, format="json"),
        401,
        "authentication_failed",
    )


def test_a_deleted_token_no_longer_authenticates(owner):
    client = token_client(owner)
    assert client.delete("/api/v1/auth/token").status_code == 204
    _assert_error_shape(client.get("/api/v1/me"), 401, "authentication_failed")


def test_a_revoked_or_blocked_user_gets_401_with_a_valid_token__HA_10_HA_12(owner):
    client = token_client(owner)
    for status in (AccessStatus.BLOCKED, AccessStatus.REVOKED):
        owner.access_status = status
        owner.save(update_fields=["access_status"])
        _assert_error_shape(client.get("/api/v1/me"), 401)


def test_an_authenticated_api_call_counts_as_use__HA_13(owner):
    owner.last_used_at = timezone.now() - timedelta(days=100)
    owner.save(update_fields=["last_used_at"])
    token_client(owner).get("/api/v1/me")
    owner.refresh_from_db()
    assert timezone.now() - owner.last_used_at < timedelta(minutes=1)


def test_a_user_who_must_change_the_password_gets_no_token__HA_09(api_client, owner):
    owner.must_change_password = True
    owner.save(update_fields=["must_change_password"])
    _assert_error_shape(
        api_client.post("/api/v1/auth/token", {"username": owner.username, "password": DEFAULT_PASSWORD}, format="json"),
        403,
        "password_change_required",
    )


def test_the_openapi_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/token" in schema.json()["paths"]
    docs = api_client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


# --- Idempotency-Key, exercised through a small action view defined for this test -------


class _CountAction(APIView):
    """Writes one audit row per call, like any state-changing action."""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField()

    @idempotent
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["note"] == "conflict":
            raise InvalidTransition()
        with transaction.atomic():
            entry = audit_record(obj=request.user, action="counted", actor=request.user, reason=data.validated_data["note"])
        return Response({"seq": entry.seq}, status=201)


urlpatterns = [path("api/v1/test-action", _CountAction.as_view())]


@pytest.mark.urls(__name__)
def test_a_repeated_action_with_the_same_key_changes_nothing__REL_04(owner):
    client = token_client(owner)
    first = client.post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="counted").count() == 1
    other = client.post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.json()["seq"] == first.json()["seq"] + 1


@pytest.mark.urls(__name__)
def test_a_key_reused_for_a_different_request_is_refused__REL_04(owner):
    client = token_client(owner)
    client.post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    reused = client.post("/api/v1/test-action", {"note": "b"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    _assert_error_shape(reused, 422, "idempotency_key_reused")
    assert AuditEntry.objects.filter(action="counted").count() == 1


@pytest.mark.urls(__name__)
def test_an_error_is_not_remembered_so_the_key_can_be_retried__REL_04(owner):
    client = token_client(owner)
    _assert_error_shape(client.post("/api/v1/test-action", {"note": "conflict"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"), 409)
    assert client.post("/api/v1/test-action", {"note": "conflict"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 409


@pytest.mark.urls(__name__)
def test_keys_are_scoped_per_user__REL_04(owner, outsider):
    token_client(owner).post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = token_client(outsider).post("/api/v1/test-action", {"note": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert AuditEntry.objects.filter(action="counted").count() == 2
