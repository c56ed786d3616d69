"""Issue 15, Low: odd input answers 4xx in the API's error shape (never 500), small leaks are
closed, and the production settings trust nothing they were not told to. SEC-03 (odd input),
SEC-04 (settings), SEC-05 (files, e-mails, exports)."""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import token_client
from tests.sugar_import.conftest import (  # noqa: F401 - fixtures
    agency, api_p, gkm, industry, line, quota, recommendation, sugar_reference,
)

pytestmark = pytest.mark.django_db


def _api_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


# --------------------------------------------------------------------------- odd input → 4xx


@pytest.mark.parametrize("url", ["/verify/%00", "/verify/a%00b", "/accounts/registration/%00/", "/verify/?number=x%00"])
def test_a_nul_byte_in_a_page_path_or_query_is_a_400__SEC_03(url):
    assert Client(raise_request_exception=False).get(url).status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/verify/%00", "/api/v1/me?x=%00", "/api/v1/sugar/applications/?status=%00"])
def test_a_nul_byte_in_an_api_path_or_query_is_a_400_in_the_error_shape__SEC_03(owner, url):
    client = token_client(owner)
    client.raise_request_exception = False
    _api_error(client.get(url), 400)


@pytest.mark.parametrize("page", ["99999999999999999999999", "92233720368547758"])
def test_a_huge_page_number_is_a_404_in_the_error_shape__SEC_03(owner, page):
    client = token_client(owner)
    client.raise_request_exception = False
    for url in ("/api/v1/sugar/permits/", "/api/v1/api-applications/", "/api/v1/sugar/applications/"):
        _api_error(client.get(f"{url}?page={page}"), 404)


@pytest.mark.parametrize("year", ["99999999999", "10000", "0", "-1"])
def test_the_dashboard_refuses_a_year_out_of_range_with_a_400__SEC_03(director, year):
    client = Client(raise_request_exception=False)
    client.force_login(director)
    assert client.get(reverse("workspace-dashboard") + f"?year={year}").status_code == 400


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000, json.dumps({"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})])
def test_deeply_nested_json_is_a_400_in_the_error_shape__SEC_03(owner, body):
    client = token_client(owner)
    client.raise_request_exception = False
    _api_error(client.post("/api/v1/api-applications/", body, content_type="application/json"), 400)


# --------------------------------------------------------------------------- small leaks


def test_every_api_404_says_the_same_whatever_the_cause__SEC_01(owner, outsider):
    client = token_client(owner)
    client.raise_request_exception = False
    bodies = {
        "no route": client.get("/api/v1/no-such-thing/"),
        "no object": client.get("/api/v1/api-applications/999999"),
        "page past the end": client.get("/api/v1/api-applications/?page=5"),
        "no permit": client.get("/api/v1/verify/PI-0000"),
        "not a number": client.get("/api/v1/sugar/permits/nope"),
    }
    texts = {name: (response.status_code, response.json()) for name, response in bodies.items()}
    assert len({json.dumps(value, sort_keys=True) for value in texts.values()}) == 1, texts


def test_an_application_with_too_many_lines_is_refused_with_a_clear_error__SEC_03(owner, api_p, quota, recommendation, settings):
    settings.APPLICATION_MAX_LINES = 200
    payload = {"purpose": "industry", "sugar_type": "GKM", "recommendation": recommendation.pk,
               "lines": [line(volume="1") for _ in range(201)]}
    error = _api_error(token_client(owner).post("/api/v1/sugar/applications/", payload, format="json"), 400)
    assert error["code"] == "too_many_lines" and "200" in error["message"]
    payload["lines"] = payload["lines"][:200]
    assert token_client(owner).post("/api/v1/sugar/applications/", payload, format="json").status_code == 201


def test_the_email_admin_shows_no_set_password_or_status_link__SEC_05(administrator):
    from inatrade.models import OutgoingEmail

    mail = OutgoingEmail.objects.create(
        template="registration_approved", to=["x@example.co.id"], subject="Hak Akses",
        body="Pasang kata sandi:\nhttp://127.0.0.1:8000/accounts/set-password/Zm9vYmFyLXNlY3JldC10b2tlbg/\n"
             "Status: http://127.0.0.1:8000/accounts/registration/s3cr3t-k3y/\n")
    client = Client()
    client.force_login(administrator)
    page = client.get(reverse("admin:inatrade_outgoingemail_change", args=[mail.pk])).content.decode()
    assert "Zm9vYmFyLXNlY3JldC10b2tlbg" not in page and "s3cr3t-k3y" not in page
    assert "/accounts/set-password/[disembunyikan]/" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sla_export_is_escaped_against_formula_injection__SEC_05(director, fmt):
    from inatrade.models import SlaStep
    from workspace.reports import exports
    from workspace.reports.selectors import SlaReport, SlaRow

    step = SlaStep.objects.first()
    payloads = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    rows = [SlaRow(step_code=step.code, step_name=payload, deadline_days=1, month=__import__("datetime").date(2026, 1, 1),
                   on_time=1, late=0, median=1, worst=1) for payload in payloads]
    report = SlaReport(year=2026, rows=rows)
    if fmt == "csv":
        import csv
        import io

        cells = [row[1] for row in csv.reader(io.StringIO(exports.sla_report_csv(report).decode("utf-8-sig")))][1:]
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(exports.sla_report_xlsx(report))).active
        cells = [sheet.cell(row=i + 2, column=2).value for i in range(len(payloads))]
        assert all(sheet.cell(row=i + 2, column=2).data_type == "s" for i in range(len(payloads)))
    assert cells == ["'" + payload for payload in payloads]


# --------------------------------------------------------------------------- the PDF renderer


@pytest.mark.parametrize("url", [
    "FILE:///etc/passwd", "file:///etc/passwd", "File://localhost/etc/passwd",
    "file://{fonts}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "file://{fonts}/%2E%2E/%2E%2E/settings.py",
    "file://{fonts}/../../inatrade/settings.py", "http://127.0.0.1:8000/admin/", "https://example.com/x.png",
    "ftp://example.com/x", "file://evil.example/share/x.ttf",
])
def test_the_pdf_url_fetcher_refuses_everything_but_our_own_files__SEC_05(url):
    from permits.documents import FONTS_DIR, _url_fetcher

    with pytest.raises(ValueError):
        _url_fetcher().fetch(url.format(fonts=FONTS_DIR))


def test_the_pdf_url_fetcher_serves_our_fonts_and_data_uris__SEC_05():
    from permits.documents import FONTS_DIR, _url_fetcher

    font = next(FONTS_DIR.iterdir())
    assert _url_fetcher().fetch(font.as_uri()) is not None
    assert _url_fetcher().fetch("data:text/plain;base64,aGk=") is not None


# --------------------------------------------------------------------------- production settings


def _production(tmp_path, **extra):
    env = {"PATH": "/usr/bin:/bin", "INATRADE_ENV": "production", "INATRADE_VAR_DIR": str(tmp_path),
           "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-0123456789abcdef",
           "AUDIT_HMAC_KEY": "y" * 20 + "-production-audit-key-0123456789abcdef",
           "ALLOWED_HOSTS": "inatrade.example.go.id", "DJANGO_SETTINGS_MODULE": "inatrade.settings", **extra}
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k, None) for k in ['SECURE_PROXY_SSL_HEADER', 'INSW_TOKEN', 'NUM_PROXIES']}))")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_production_requires_the_insw_token__SEC_04(tmp_path):
    without = _production(tmp_path)
    assert without.returncode != 0 and "INSW_TOKEN" in without.stderr
    given = _production(tmp_path, INSW_TOKEN="t" * 32)
    assert json.loads(given.stdout)["INSW_TOKEN"] == "t" * 32


def test_x_forwarded_proto_is_trusted_only_when_configured__SEC_04(tmp_path):
    default = json.loads(_production(tmp_path, INSW_TOKEN="t").stdout)
    assert default["SECURE_PROXY_SSL_HEADER"] is None and default["NUM_PROXIES"] == 0
    behind_proxy = json.loads(_production(tmp_path, INSW_TOKEN="t", TRUST_X_FORWARDED_PROTO="true", NUM_PROXIES="1").stdout)
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"] and behind_proxy["NUM_PROXIES"] == 1
