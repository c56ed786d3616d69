"""Demo data of sugar imports: rakor quotas, Rekomendasi, applications in every state and PIs
that are active (with reports and a pending amendment), frozen and revoked.

``seed(out)`` is called by ``manage.py seed_demo`` after accounts, permits and api_registry;
it is idempotent (it does nothing once its first application exists). Everything goes through
the services, with sugar_import's clock moved back where a past date is needed.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

DEMO_MARKER = "REK-DEMO/IND/"


def _pdf(name="dokumen.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


class _Clock:
    """Run services as of a past day (sugar_import.services.common._now)."""

    def __init__(self):
        from sugar_import.services import common

        self.services = common
        self.original = common._now

    def at(self, day: date):
        import datetime as dt
        from zoneinfo import ZoneInfo

        moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo("Asia/Jakarta"))
        self.services._now = lambda: moment

    def reset(self):
        self.services._now = self.original


def seed(out) -> list:
    from django.conf import settings
    from django.utils import timezone

    from accounts.models import User
    from sugar_import import services
    from sugar_import.models import Purpose, QuotaAllocation, Recommendation, SugarType

    if settings.PRODUCTION or Recommendation.objects.filter(number__startswith=DEMO_MARKER).exists():
        return []
    users = {u.username: u for u in User.objects.filter(username__in=["4C7ADA", "5D8BEB", "6E9CFC", "dirjen", "uptp1", "kemenperin"])}
    if len(users) < 6:
        out.write("  sugar_import: demo users missing, skipped")
        return []
    try:
        from permits.management.commands.dev_pki import ensure_dev_pki

        ensure_dev_pki()
    except Exception as exc:  # noqa: BLE001 - signing is optional for the demo
        out.write(f"  sugar_import: no signing PKI ({exc}); permits stay awaiting signature")
    gula, rafinasi, bumn = users["4C7ADA"], users["5D8BEB"], users["6E9CFC"]
    dirjen, uptp1, agency = users["dirjen"], users["uptp1"], users["kemenperin"]
    from api_registry.selectors import api_current_for_company
    from api_registry.services import api_record_nib

    for user in (rafinasi, bumn):
        if api_current_for_company(company=user.company) is None:
            api_record_nib(actor=user, kind="API-P")
    gkm, gkr, gkp = (SugarType.objects.get(code=c) for c in ("GKM", "GKR", "GKP"))
    purposes = {p.code: p for p in Purpose.objects.all()}
    today = timezone.localdate()
    frozen_issue = (today.replace(day=1) - relativedelta(months=1 if today.day > 15 else 2)) + timedelta(days=2)
    revoked_issue = today.replace(day=1) - relativedelta(months=4) + timedelta(days=2)
    for year in sorted({today.year, frozen_issue.year, revoked_issue.year}):
        for purpose, sugar_type, tonnes in [("industry", gkm, 3_000_000), ("industry", gkr, 500_000), ("kite", gkm, 200_000),
                                            ("stabilization_gkm", gkm, 800_000), ("stabilization_gkp", gkp, 1_000_000)]:
            QuotaAllocation.objects.get_or_create(
                year=year, purpose=purposes[purpose], sugar_type=sugar_type,
                defaults={"tonnes": tonnes, "rakor_reference": f"Risalah Rakor Kemenko Perekonomian {year}"},
            )

    def rec(company, number, sugar_type, volume, kind="recommendation", issuer="Kementerian Perindustrian"):
        return services.recommendation_record(
            actor=agency, company=company, kind=kind, issuer=issuer, number=DEMO_MARKER + number, date=revoked_issue - timedelta(days=20),
            sugar_type=sugar_type, volume_tonnes=volume, hs_codes=list(sugar_type.hs_codes), origin_countries=["TH", "AU", "BR", "IN"],
            ports=["IDTPP", "IDSUB", "IDCXP", "IDMAK"], valid_from=revoked_issue - timedelta(days=20), valid_until=today + relativedelta(months=10),
        )

    rec_raf = rec(rafinasi.company, "001", gkm, 200_000)
    rec_raf_gkr = rec(rafinasi.company, "002", gkr, 20_000)
    rec(gula.company, "003", gkm, 50_000)  # shown on its page; an API-U cannot use it (PI-02)
    assign_bumn = rec(bumn.company, "004", gkp, 300_000, kind="assignment", issuer="Kementerian BUMN")

    def lines(hs, *volumes):
        origins, ports = ["TH", "AU", "BR"], ["IDTPP", "IDSUB", "IDCXP"]
        return [{"hs_code": hs, "description": f"Gula, pengapalan {i + 1}", "volume_tonnes": str(v),
                 "origin_country": origins[i % 3], "port_of_discharge": ports[i % 3]} for i, v in enumerate(volumes)]

    def apply(user, purpose, sugar_type, *, recommendation=None, assignment=None, hs, volumes):
        return services.sugar_application_create(actor=user, purpose=purposes[purpose], sugar_type=sugar_type,
                                                 recommendation=recommendation, assignment=assignment, lines=lines(hs, *volumes))

    def sign(sp):
        """Sign now, as permits/demo.py does, so the demo PDFs open without a worker."""
        from permits.models import VersionState
        from permits.services import permit_sign_version

        for version in sp.permit.versions.filter(state=VersionState.AWAITING_SIGNATURE):
            permit_sign_version(version_id=version.pk)
        return sp

    clock = _Clock()
    try:
        # A PI revoked for a missing report (PI-12), on the BUMN: it may not apply for a year (PI-13).
        clock.at(revoked_issue)
        a = services.sugar_application_submit(
            application=apply(bumn, "stabilization_gkp", gkp, assignment=assign_bumn, hs="1701.91.00", volumes=[25_000, 15_000]), actor=bumn)
        revoked = sign(services.sugar_application_approve(application=a, actor=dirjen))
        # A PI frozen for a missing report, on PT Rafinasi.
        clock.at(frozen_issue)
        a = services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkm, recommendation=rec_raf, hs="1701.14.00", volumes=[12_000, 8_000]), actor=rafinasi)
        frozen = sign(services.sugar_application_approve(application=a, actor=dirjen))
        clock.reset()
        services.monthly_report_freeze(as_of=today)
        # An active PI with a report of this month and a pending amendment.
        a = services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkr, recommendation=rec_raf_gkr, hs="1701.99.11", volumes=[5_000, 2_500]),
            actor=rafinasi)
        active = sign(services.sugar_application_approve(application=a, actor=dirjen))
        services.monthly_report_submit(
            sugar_permit=active, actor=rafinasi, period=today.replace(day=1), nil_report=False,
            destination="Industri makanan dan minuman (PT Sari Roti, PT Indofood)",
            shipments=[{"pib_number": "004512", "pib_date": today, "hs_code": "1701.99.11", "volume_tonnes": "1200", "pib_file": _pdf("pib.pdf")}],
        )
        services.amendment_submit(sugar_permit=active, actor=rafinasi, reason="Penambahan pelabuhan tujuan Cilacap",
                                  lines=lines("1701.99.11", 5_000, 2_500)[:1] + [
                                      {"hs_code": "1701.99.11", "description": "Gula rafinasi", "volume_tonnes": "2500",
                                       "origin_country": "TH", "port_of_discharge": "IDCXP"}])
        # Applications: submitted (awaiting the DG), returned, rejected, draft.
        services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkm, recommendation=rec_raf, hs="1701.13.00", volumes=[30_000]), actor=rafinasi)
        returned = services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkm, recommendation=rec_raf, hs="1701.14.00", volumes=[10_000]), actor=rafinasi)
        services.sugar_application_return(application=returned, actor=uptp1, reason="Salinan Rekomendasi tidak terbaca; unggah ulang.")
        rejected = services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkm, recommendation=rec_raf, hs="1701.12.00", volumes=[5_000]), actor=rafinasi)
        services.sugar_application_reject(application=rejected, actor=dirjen, reason="Periode kebutuhan produksi tidak sesuai Rekomendasi.")
        # A draft of an eligible company. PT Gula Manis holds an API-U: since issue 17 the form
        # offers it no purpose that needs an API-P, and the service refuses such a draft at once.
        apply(rafinasi, "industry", gkr, recommendation=rec_raf_gkr, hs="1701.99.11", volumes=[4_000])
        # Approved, its PI awaiting the DG's signature: not signed here. With ``make run`` the
        # worker signs it within seconds of seeding; under the tests (no worker) it stays
        # awaiting, so the pages of that state are crawled (USE-01).
        awaiting = services.sugar_application_submit(
            application=apply(rafinasi, "industry", gkm, recommendation=rec_raf, hs="1701.14.00", volumes=[6_000]), actor=rafinasi)
        services.sugar_application_approve(application=awaiting, actor=dirjen)
    finally:
        clock.reset()
    # Issue 15, item 8: a Rekomendasi PT Rafinasi uploaded itself, awaiting an officer's (or
    # the agency's) check against the signed PDF (/sugar/recommendations/pending/).
    services.recommendation_record(
        actor=rafinasi, company=rafinasi.company, kind="recommendation", issuer="Kementerian Perindustrian",
        number=DEMO_MARKER + "005", date=today - timedelta(days=3), sugar_type=gkr, volume_tonnes=15_000,
        hs_codes=list(gkr.hs_codes), origin_countries=["TH", "AU"], ports=["IDTPP", "IDSUB"],
        valid_from=today - timedelta(days=3), valid_until=today + relativedelta(months=6), upload=_pdf("rekomendasi.pdf"),
    )
    out.write("  sugar Rekomendasi awaiting verification: 1 (uploaded by PT Rafinasi)")
    for sp in (revoked, frozen, active):
        sp.refresh_from_db()
        out.write(f"  sugar PI {sp.number}: {sp.get_status_display()} ({sp.company.name})")
    return []
