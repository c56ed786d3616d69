"""Demo data of permits: the development PKI and one signed sugar Persetujuan Impor.

``seed(out)`` (called by ``manage.py seed_demo``) is idempotent. It signs synchronously so the
demo permit opens in any PDF reader and verifies on /verify/ without a running worker.
"""

import datetime as dt

from django.conf import settings


DEMO_NUMBER = "04.PI-05.26.0001"


def demo_sugar_content(company):
    from permits.documents import sugar_pi_content

    ports = ["Tanjung Priok, Jakarta", "Tanjung Perak, Surabaya", "Belawan, Medan", "Makassar"]
    origins = ["Thailand", "Australia", "Brasil", "India"]
    return sugar_pi_content(
        holder=company,
        application_number="PI-GULA/2026/11/000123",
        application_date=dt.date(2026, 11, 10),
        sugar_type="Gula Kristal Mentah (GKM)",
        purpose="bahan baku industri gula kristal rafinasi",
        recommendation={"issuer": "Kementerian Perindustrian", "number": "512/IND/REK/11/2026", "date": "2026-11-03"},
        lines=[
            {"hs_code": "1701.14.00", "description": f"Gula Kristal Mentah (GKM), ICUMSA ≥ 1200 IU — pengapalan {i}",
             "volume_tonnes": "1250.500", "origin_country": origins[i % 4], "port_of_discharge": ports[i % 4]}
            for i in range(1, 13)
        ],
    )


def seed(out) -> list:
    from accounts.models import Company, User
    from permits.management.commands.dev_pki import ensure_dev_pki
    from permits.models import Permit, VersionState
    from permits.services import permit_issue, permit_sign_version

    if settings.PRODUCTION:
        return []
    ensure_dev_pki(out=out)
    company = Company.objects.filter(nib="9120001234567").first()
    signer = User.objects.filter(username="dirjen").first()
    if company is None or signer is None:
        return []
    permit = Permit.objects.filter(number=DEMO_NUMBER).first()
    if permit is None:
        today = dt.date.today()
        permit = permit_issue(
            kind="sugar_pi", holder=company, number=DEMO_NUMBER, content=demo_sugar_content(company), signer=signer,
            valid_from=today, valid_until=dt.date(today.year, 12, 31) if today.month < 12 else dt.date(today.year + 1, 12, 31),
            actor=signer,
        )
    for version in permit.versions.filter(state=VersionState.AWAITING_SIGNATURE):
        permit_sign_version(version_id=version.pk)
    permit.refresh_from_db()
    out.write(f"  demo permit {permit.number}: {permit.status} — verify at {settings.SITE_URL}/verify/{permit.number}")
    return []
