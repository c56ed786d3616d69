"""Issue 15 item 1 (SEC-05): a Content-Security-Policy without 'unsafe-inline' on every HTML
response, and no template that would need one (the browser check is
tests/e2e/test_content_security_policy.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/register/", "/verify/", "/api/v1/docs/", "/admin/login/"])
def test_html_pages_carry_a_policy_without_unsafe_inline__SEC_05(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_served_as_a_page_has_inline_script_handler_or_style__SEC_05():
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]:
        if "/pdf/" in str(path) or ".venv" in path.parts:
            continue  # PDF layouts are rendered by WeasyPrint, never served as HTML
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(base)}:{number}: {line.strip()[:100]}")
    assert not offenders, offenders
