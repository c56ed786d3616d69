"""Demo data of permits: the development PKI (a local CA, TSA and a signer per demo official).

``seed(out)`` (called by ``manage.py seed_demo``) is idempotent. The demo permits themselves
come from the apps that issue them (api_registry, sugar_import), through their services, so
every permit on /permits/ is also on its own app's pages (issue 17: a stand-alone demo PI
appeared on /permits/ while /sugar/ said the company had none).
"""

from django.conf import settings


def seed(out) -> list:
    from permits.management.commands.dev_pki import ensure_dev_pki

    if settings.PRODUCTION:
        return []
    ensure_dev_pki(out=out)
    return []
