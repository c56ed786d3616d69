"""Fixtures of the webhook tests: the permits' development PKI and officials (a permit is
issued and signed for real), and a local receiver admitted by the one test-only setting."""

import pytest

from tests.permits.conftest import _pki_settings, dirjen, dirjen_certificate, issue_permit, pki_dir  # noqa: F401
from tests.webhooks.receiver import Receiver


@pytest.fixture
def allow_local(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2.0
    return settings


@pytest.fixture
def receiver(allow_local):
    r = Receiver().start()
    yield r
    r.stop()
