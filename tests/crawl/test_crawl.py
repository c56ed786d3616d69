"""USE-01: a crawl that signs in as every demo role (and anonymous) and visits every page
reachable from the menus and lists, in Indonesian and English, over the demo data of
``manage.py seed_demo`` (cases in every state: overdue, frozen, revoked, awaiting signature,
returned, rejected). It asserts no 5xx; a link shown to a role never answers 403/404 to it;
no raw template text or status codes; no untranslated interface string; and the English
catalogue has 0 untranslated and 0 fuzzy entries.

Run alone with ``pytest -m crawl``; it prints its figures (pages, roles, states, languages)."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.crawl.crawler import CATALOGUE, Crawl, bilingual_data, catalogue

pytestmark = [pytest.mark.crawl, pytest.mark.django_db]

LANGUAGES = ("id", "en")


def test_the_english_catalogue_is_complete__USE_01():
    """0 untranslated and 0 fuzzy entries (``msgfmt --statistics``), and it is compiled."""
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(CATALOGUE / "django.po")],
                            capture_output=True, text=True, check=True)
    stats = result.stderr.strip()
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
    assert (CATALOGUE / "django.mo").stat().st_mtime >= (CATALOGUE / "django.po").stat().st_mtime - 1, "run compilemessages"


def _demo_states() -> dict[str, set[str]]:
    """The states the demo cases are in, by kind of case (what the crawl walked over)."""
    from accounts.models import Registration
    from api_registry.models import Api, ApiApplication
    from inatrade.workdays import today
    from permits.models import Permit
    from sugar_import.models import SugarApplication, SugarPermit
    from workspace.models import CaseStep

    return {
        "registration": set(Registration.objects.values_list("status", flat=True)),
        "api_application": set(ApiApplication.objects.values_list("status", flat=True)),
        "api": set(Api.objects.values_list("status", flat=True)),
        "sugar_application": set(SugarApplication.objects.values_list("status", flat=True)),
        "sugar_permit": set(SugarPermit.objects.values_list("status", flat=True)),
        "permit": set(Permit.objects.values_list("status", flat=True)),
        "case_step": ({"overdue"} if CaseStep.objects.filter(finished_at__isnull=True, due_date__lt=today()).exists() else set())
        | ({"escalated"} if CaseStep.objects.filter(finished_at__isnull=True, escalated_at__isnull=False).exists() else set()),
    }


def test_every_demo_role_meets_no_broken_page_in_either_language__USE_01(settings, tmp_path, capsys):
    settings.PKI_DIR = tmp_path / "pki"  # seed_demo makes its development PKI here and signs with it
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    from accounts.models import User
    from accounts.demo import USERS
    from api_registry.demo import OFFICERS

    states = _demo_states()

    usernames = [row[0] for row in USERS] + [row[0] for row in OFFICERS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    id_words, en_words = catalogue()
    id_data, en_data = bilingual_data()
    ignore = _ignored_text()

    crawls = []
    for language in LANGUAGES:
        for who in ["anonymous", *usernames]:
            client = Client(raise_request_exception=False)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if who != "anonymous":
                client.force_login(users[who])
            crawls.append(Crawl(client, who, language).run(
                "/", id_words=id_words, en_words=en_words, id_data=id_data, en_data=en_data, ignore_text=ignore))

    findings = [f"{c.who}/{c.language} {f}" for c in crawls for f in c.findings]
    pages = sum(len(c.visited) for c in crawls)
    distinct = len({url for c in crawls for url in c.visited})
    kinds = Counter(f.kind for c in crawls for f in c.findings)
    with capsys.disabled():
        print(f"\nUSE-01 crawl: {pages} page visits ({distinct} distinct URLs, {sum(c.downloads for c in crawls)} downloads), "
              f"{len({c.who for c in crawls})} logins (anonymous + {len(users)} demo users), languages {', '.join(LANGUAGES)}; "
              f"states: " + "; ".join(f"{k} {sorted(v)}" for k, v in states.items()))
        print(f"USE-01 findings: {len(findings)} {dict(kinds)}")
        for line in sorted(set(findings))[:200]:
            print("  " + line)
    report = Path(settings.BASE_DIR) / "var" / "crawl" / "use01-findings.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(sorted(set(findings))) + "\n")
    assert pages > 300
    # Every state USE-01 names is among the demo cases.
    assert {"frozen", "revoked"} <= states["sugar_permit"] and {"frozen", "revoked"} <= states["api"]
    assert {"returned", "rejected"} <= states["sugar_application"] and "rejected" in states["api_application"]
    assert "awaiting_signature" in states["permit"] and {"overdue", "escalated"} <= states["case_step"]
    assert not findings, f"{len(findings)} findings, first: {findings[:20]}"


def _ignored_text() -> set[str]:
    """What people typed is shown as they typed it, in whatever language: names, positions,
    user ids. A text equal to one of these stored values is data, not interface text."""
    from accounts.models import Registration, User

    values = set()
    for row in User.objects.values_list("username", "first_name", "last_name", "position"):
        values.update(v for v in row if v)
    for row in Registration.objects.values_list("applicant_name", "applicant_position"):
        values.update(v for v in row if v)
    return {" ".join(v.split()) for v in values}
