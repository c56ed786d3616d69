"""USE-02 and USE-03 in Chromium, over one page of each kind per role of the demo data
(tests/e2e/pages.py): zero serious or critical axe-core violations (WCAG 2.1 AA), no
sideways scroll at 390 px (wide tables scroll inside their own box), no console errors.

With ``SCREENSHOTS_DIR`` set (``make screenshots``) every page is also saved there at 1280
and 390 px, named ``<role>--<page>--<width>.png``.
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from django.db import connection

from tests.e2e.pages import AXE, Findings, axe_violations, describe, horizontal_overflow, log_in, page_kinds, slug

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (1280, 390)


@pytest.fixture
def demo(db):
    # Playwright's loop runs in this thread and signing uses asyncio.run(): seed in another.
    def seed():
        try:
            with open(os.devnull, "w") as out:
                call_command("seed_demo", stdout=out)
        finally:
            connection.close()

    thread = threading.Thread(target=seed)
    thread.start()
    thread.join()


def _visit_all(live_server, new_page, screenshots: Path | None) -> tuple[Findings, int]:
    findings, visited = Findings(), 0
    by_login: dict = {}
    for login, name, path in page_kinds():
        by_login.setdefault(login, []).append((name, path))
    for login, pages in by_login.items():
        who = login or "anonymous"
        contexts = {}
        for width in WIDTHS:
            page = new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            if login:
                log_in(page, live_server.url, login)
            contexts[width] = (page, errors)
        for name, path in pages:
            for width, (page, errors) in contexts.items():
                errors.clear()
                where = f"{who} {path} @{width}px"
                visited += 1
                try:
                    response = page.goto(f"{live_server.url}{path}")
                except PlaywrightError as exc:  # e.g. an error answer without a body
                    findings.status.append(f"{where}: {exc.message.splitlines()[0]}")
                    continue
                page.wait_for_load_state("networkidle")
                if response is None or response.status >= 400:
                    findings.status.append(f"{where}: HTTP {response.status if response else '?'}")
                if screenshots:
                    page.screenshot(path=str(screenshots / f"{slug(who)}--{slug(name)}--{width}.png"), full_page=True)
                if width == 390:
                    overflow = horizontal_overflow(page)
                    if overflow > 0:
                        findings.scroll.append(f"{where}: scrolls sideways by {overflow} px")
                else:
                    violations = axe_violations(page)
                    if violations:
                        findings.axe.append(f"{where}: {describe(violations)}")
                if errors:
                    findings.console.append(f"{where}: console errors {errors}")
    return findings, visited


def test_every_kind_of_page_is_accessible_fits_a_phone_and_logs_no_errors__USE_02_USE_03(demo, live_server, new_page):
    assert AXE.exists(), "axe-core is missing: run scripts/system_deps.sh test (npm ci --prefix tests/e2e/node)"
    target = os.environ.get("SCREENSHOTS_DIR")
    screenshots = Path(target) if target else None
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    findings, visited = _visit_all(live_server, new_page, screenshots)
    assert visited >= 40
    problems = findings.problems()
    assert not problems, f"{len(problems)} problems on {visited} visits:\n" + "\n".join(problems)
