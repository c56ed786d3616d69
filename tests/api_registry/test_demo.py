"""seed_demo: APIs and applications of both kinds in every state, idempotent (issue 6)."""

import io

import pytest

from api_registry.models import Api, ApiApplication

pytestmark = pytest.mark.django_db


def test_seed_demo_has_both_kinds_in_every_state_and_is_idempotent(settings, tmp_path):
    from accounts import demo as accounts_demo
    from api_registry import demo

    settings.PKI_DIR = tmp_path / "no-pki"  # documents wait for a certificate; no signing here
    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (Api.objects.count(), ApiApplication.objects.count())
    for kind in ("API-U", "API-P"):
        for status in ("draft", "inspection", "bap_signed", "decision", "approved", "rejected"):
            assert ApiApplication.objects.filter(kind=kind, status=status).exists(), (kind, status)
        for status in ("active", "frozen", "revoked"):
            assert Api.objects.filter(kind=kind, status=status).exists(), (kind, status)
    assert Api.objects.filter(source="nib").exists()
    demo.seed(io.StringIO())
    assert (Api.objects.count(), ApiApplication.objects.count()) == counts
