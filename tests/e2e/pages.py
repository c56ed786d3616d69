"""One page of each kind per role, on the demo data (``seed_demo``), for the browser checks
(USE-02, USE-03) and for ``make screenshots``.

``page_kinds()`` answers ``[(login or None, name, path)]``; detail pages are looked up in the
demo data so that a new demo case needs no edit here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "Inatrade#2026"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _first(qs):
    obj = qs.order_by("pk").first()
    return obj


def page_kinds() -> list[tuple[str | None, str, str]]:
    from accounts.models import Registration, Role, User
    from sugar_import.models import SugarApplication, SugarPermit

    kinds: list[tuple[str | None, str, str]] = [
        (None, "home", "/"),
        (None, "login", "/accounts/login/"),
        (None, "password-reset", "/accounts/password-reset/"),
        (None, "lost-credentials", "/accounts/lost-credentials/"),
        (None, "register", "/accounts/register/"),
        (None, "verify", "/verify/"),
        (None, "api-docs", "/api/v1/docs/"),
    ]
    for status in ("valid", "frozen", "revoked"):
        permit = _first(SugarPermit.objects.filter(status={"valid": "active"}.get(status, status)))
        if permit:
            kinds.append((None, f"verify-{status}", f"/verify/{permit.number}"))
    registration = _first(Registration.objects.exclude(access_key=""))
    if registration:
        kinds.append((None, "registration-status", f"/accounts/registration/{registration.access_key}/"))

    def user(role, company=True):
        qs = User.objects.filter(role=role, is_active=True)
        if company:
            qs = qs.filter(company__isnull=False)
        return qs.order_by("username").first()

    # Importers: the one with a sugar permit and the one with applications.
    importer = User.objects.filter(role=Role.IMPORTER, company__sugar_permits__isnull=False).order_by("username").first()
    if importer:
        kinds += [
            (importer.username, "dashboard", "/accounts/dashboard/"),
            (importer.username, "permits", "/permits/"),
            (importer.username, "sugar-home", "/sugar/"),
            (importer.username, "sugar-application-new", "/sugar/applications/new/"),
            (importer.username, "api-my", "/api-registry/"),
        ]
        sp = _first(SugarPermit.objects.filter(company=importer.company, status="active"))
        if sp:
            kinds.append((importer.username, "sugar-permit", f"/sugar/permits/{sp.number}/"))
        app = _first(SugarApplication.objects.filter(company=importer.company))
        if app:
            kinds.append((importer.username, "sugar-application", f"/sugar/applications/{app.pk}/"))
    counter = user(Role.COUNTER_OFFICER, company=False)
    if counter:
        kinds += [
            (counter.username, "dashboard", "/accounts/dashboard/"),
            (counter.username, "work-list", "/work/"),
            (counter.username, "registrations", "/accounts/registrations/"),
        ]
        reg = _first(Registration.objects.filter(status="submitted"))
        if reg:
            kinds.append((counter.username, "registration-detail", f"/accounts/registrations/{reg.pk}/"))
    director = user(Role.DIRECTOR, company=False)
    if director:
        kinds += [
            (director.username, "dashboard", "/accounts/dashboard/"),
            (director.username, "work-dashboard", "/work/dashboard/"),
            (director.username, "sla-report", "/work/reports/sla/"),
            (director.username, "access-holders", "/accounts/access-holders/"),
        ]
    dirjen = user(Role.DIRECTOR_GENERAL, company=False)
    if dirjen:
        kinds += [
            (dirjen.username, "dashboard", "/accounts/dashboard/"),
            (dirjen.username, "work-list", "/work/"),
            (dirjen.username, "api-work-list", "/api-registry/work/"),
        ]
        sp = _first(SugarPermit.objects.filter(status="active"))
        if sp:
            kinds.append((dirjen.username, "sugar-permit", f"/sugar/permits/{sp.number}/"))
            kinds.append((dirjen.username, "sugar-permit-revoke", f"/sugar/permits/{sp.number}/revoke"))
    issuer = user(Role.ISSUER_OFFICER, company=False)
    if issuer:
        kinds += [(issuer.username, "dashboard", "/accounts/dashboard/"), (issuer.username, "api-work-list", "/api-registry/work/")]
        from workspace.selectors import steps_visible_to

        step = steps_visible_to(user=issuer).filter(kind="api_application").order_by("pk").first()
        if step:
            kinds.append((issuer.username, "api-application", f"/api-registry/applications/{step.case_id}/"))
    for role, extra in (
        (Role.FIELD_VERIFIER, [("registrations", "/accounts/registrations/")]),
        (Role.AGENCY, [("sugar-recommendations", "/sugar/recommendations/")]),
        (Role.SURVEYOR, [("sugar-surveyor", "/sugar/surveyor/")]),
        (Role.ADMINISTRATOR, [("admin", "/admin/"), ("admin-users", "/admin/accounts/user/")]),
    ):
        someone = user(role, company=False)
        if someone:
            kinds.append((someone.username, "dashboard", "/accounts/dashboard/"))
            kinds += [(someone.username, name, path) for name, path in extra]
    return kinds


@dataclass
class Findings:
    axe: list[str] = field(default_factory=list)
    scroll: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.status + self.axe + self.scroll + self.console


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/password/" in page.url:  # a forced change (HA-09) would hide every page
        raise AssertionError(f"{username}: forced to change the password")


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations (WCAG 2.1 AA) of the page as it stands."""
    # Evaluated through the DevTools protocol, not as a <script> tag: the portal's CSP allows no
    # inline script, and the check must see the page under that very policy.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # A trailing statement keeps Playwright from taking the source for a function to call.
        page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }",
        WCAG_AA,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def horizontal_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False)
