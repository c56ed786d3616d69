"""SEC-04 (issue 15 item 4): rate limits cannot be bypassed.

- ``X-Forwarded-For`` is believed only behind ``NUM_PROXIES`` trusted proxies (default none),
  by DRF's throttles, the HTML throttles and axes alike;
- the HTML login is throttled per client address, not only locked per user id;
- anonymous registrations are throttled per address and per e-mail / NPWP (HTML and API);
- the HTML verify page keys its throttle by the same client address."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.accounts.conftest import VALID_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch, settings):
    """Small rates, set where both DRF (its class attribute) and our throttles read them."""

    def set_rate(scope, rate):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)
        monkeypatch.setitem(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope, rate)

    return set_rate


def test_the_api_ignores_a_forged_x_forwarded_for__SEC_04(rates):
    rates("verify", "3/minute")
    client = APIClient()
    statuses = [client.get("/api/v1/verify/PI-0000", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(5)]
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]


def test_behind_a_configured_proxy_the_client_is_the_address_the_proxy_appended__SEC_04(rates, settings):
    from django.test import RequestFactory

    from inatrade.throttling import client_address

    settings.NUM_PROXIES = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert client_address(request) == "198.51.100.7"  # the entry the client wrote itself is ignored
    settings.NUM_PROXIES = 0
    assert client_address(request) == "10.0.0.2"


def test_the_html_login_is_throttled_per_address_across_user_ids__SEC_04(client, rates):
    """One password sprayed over many user ids: none reaches HA-11's per-user lock."""
    rates("login_failures", "5/hour")
    statuses = [client.post(reverse("login"), {"username": f"{i:06X}", "password": "Inatrade#2026"}).status_code
                for i in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    # The same address is refused by the API's token endpoint too.
    assert APIClient().post("/api/v1/auth/token", {"username": "ABCDEF", "password": "x"}, format="json").status_code == 429
    # Another address is not.
    other = client.post(reverse("login"), {"username": "ABCDEF", "password": "x"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


def test_the_html_login_counts_attempts_per_address_even_with_forged_forwarded_for__SEC_04(client, rates):
    rates("login", "3/minute")
    statuses = [client.post(reverse("login"), {"username": f"{i:06X}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
                for i in range(5)]
    assert statuses[-1] == 429


def _fields(**extra):
    return {**VALID_FIELDS, "jenis_usaha": list(VALID_FIELDS["jenis_usaha"]), **extra}


@pytest.mark.parametrize("interface", ["html", "api"])
def test_anonymous_registrations_are_throttled_per_address__SEC_04(client, rates, interface):
    rates("registration", "3/hour")
    post = (lambda data, **kw: client.post(reverse("register"), data, **kw)) if interface == "html" else (
        lambda data, **kw: APIClient().post("/api/v1/registrations/", data, format="multipart", **kw))
    statuses = [post(_fields(applicant_email=f"a{i}@example.co.id", npwp=""), HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
                for i in range(5)]
    assert 429 not in statuses[:3]
    assert statuses[3:] == [429, 429]


@pytest.mark.parametrize("interface", ["html", "api"])
def test_anonymous_registrations_are_throttled_per_email_and_npwp__SEC_04(client, rates, interface):
    rates("registration_identity", "2/day")
    post = (lambda data, **kw: client.post(reverse("register"), data, **kw)) if interface == "html" else (
        lambda data, **kw: APIClient().post("/api/v1/registrations/", data, format="multipart", **kw))
    same_email = [post(_fields(applicant_email="korban@example.co.id"), REMOTE_ADDR=f"192.0.2.{i}").status_code for i in range(3)]
    assert 429 not in same_email[:2] and same_email[2] == 429
    same_npwp = [post(_fields(applicant_email=f"b{i}@example.co.id", npwp="01.234.567.8-901.000"), REMOTE_ADDR=f"198.51.100.{i}").status_code
                 for i in range(3)]
    assert same_npwp[2] == 429
    if interface == "api":
        assert APIClient().post("/api/v1/registrations/", _fields(applicant_email="korban@example.co.id"), format="multipart",
                                REMOTE_ADDR="192.0.2.200").json()["error"]["code"] == "throttled"


def test_the_html_verify_page_keys_its_throttle_by_the_client_behind_the_proxy__SEC_04(client, rates, settings):
    """Behind a configured proxy every client has its own budget (the old key, REMOTE_ADDR, was
    the proxy's address for everybody); without one, a forged header buys nothing."""
    rates("verify", "2/minute")
    settings.NUM_PROXIES = 1
    url = reverse("permit-verify-number", args=["PI-0000"])
    first = [client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(3)]
    assert first == [404, 404, 429]
    assert client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 404
    settings.NUM_PROXIES = 0
    forged = [client.get(url, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(3)]
    assert forged[-1] == 429
