"""Demo data of the API registry: applications and APIs of both kinds in every state.

Idempotent: each scenario belongs to one company (found by its NIB) and is skipped when that
company already has an application or an API. Everything is created through the services,
so the audit log, e-mails and permits' documents are those of real use.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pypdf import PdfWriter

from accounts.models import AccessStatus, Company, JenisTrader, Role, User
from api_registry import services
from api_registry.models import REQUIRED_DOCUMENTS, Api, ApiApplication, HsSection, Issuer, IssuerMembership

PASSWORD = "Inatrade#2026"

# username, first, last, position, issuer code, regency code (None: the province itself)
OFFICERS = [
    ("dinasdki", "Hendra", "Gunawan", "Kepala Dinas PTSP Provinsi DKI Jakarta", "dinas-31", None),
    ("kabkota3174", "Rudi", "Hartono", "Dinas PTSP Kota Administrasi Jakarta Selatan", "dinas-31", "3174"),
    ("dinasbanten", "Wawan", "Setiawan", "Dinas Perindustrian dan Perdagangan Provinsi Banten", "dinas-36", None),
    ("kabkota3672", "Lina", "Marlina", "Dinas Perindustrian dan Perdagangan Kota Cilegon", "dinas-36", "3672"),
]

STATES = ["draft", "inspection", "bap_signed", "decision", "rejected", "active", "frozen", "revoked"]


def _npwp(first8: str) -> str:
    """A 15-digit NPWP whose ninth digit is the Luhn check digit of the first eight (HA-02)."""
    from accounts.rules import luhn_ok

    check = next(d for d in "0123456789" if luhn_ok(first8 + d))
    return f"{first8}{check}012000"


def _pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _user(username, first, last, role, position, company=None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults=dict(first_name=first, last_name=last, role=role, position=position, company=company,
                      email=f"{username.lower()}@demo.inatrade.example.go.id", access_status=AccessStatus.ACTIVE),
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _progress(importer: User, kind: str, state: str, officers: dict) -> None:
    section = HsSection.objects.get(roman="IV") if kind == "API-U" else None
    application = services.api_application_create(
        actor=importer, kind=kind, hs_section=section, line_of_business="Perdagangan besar bahan pangan" if kind == "API-U" else "Industri makanan",
        directors=f"{importer.get_full_name()} (Direktur Utama)",
    )
    if state == "draft":
        return
    for doc in REQUIRED_DOCUMENTS[("dinas", kind)]:
        services.api_application_document_add(application=application, actor=importer, kind=doc, upload=_pdf(f"{doc}.pdf"))
    services.api_application_submit(application=application, actor=importer)
    if state == "inspection":
        return
    services.api_application_inspect(application=application, actor=officers["regency"], result="sesuai",
                                     notes="Kantor dan gudang sesuai dengan permohonan.")
    if state == "bap_signed":
        return
    services.api_application_forward(application=application, actor=officers["regency"])
    if state == "decision":
        return
    if state == "rejected":
        services.api_application_reject(application=application, actor=officers["province"], reason="Alamat kantor tidak sesuai dengan NIB.")
        return
    api = services.api_application_approve(application=application, actor=officers["province"])
    _sign_now()
    if state == "frozen":
        services.api_freeze(api=api, actor=officers["province"], reason_code="reporting", note="Laporan realisasi triwulanan tidak disampaikan.")
    elif state == "revoked":
        services.api_revoke(api=api, actor=officers["province"], reason_code="d", note="Data permohonan tidak benar.")


def _sign_now() -> None:
    """Sign the documents waiting for it (the permits app's own sweep), so the demo's frozen
    and revoked APIs carry that status on a signed document too."""
    try:
        from permits.services import permit_signing_sweep

        permit_signing_sweep()
    except Exception:  # noqa: BLE001 - without signing certificates the documents simply wait
        pass


def _ensure_signer(user: User) -> None:
    """Development only: give a deciding officer a signer certificate from the dev CA of
    ``manage.py dev_pki`` (the permits app), so their API documents get signed."""
    from pathlib import Path

    from django.conf import settings

    if getattr(settings, "PRODUCTION", False):
        return
    try:
        from permits import pki
        from permits.models import SigningCertificate
        from permits.services import signing_certificate_register

        if SigningCertificate.objects.filter(user=user, is_active=True).exists():
            return
        directory = Path(settings.PKI_DIR)
        if not (directory / "ca.cert.pem").exists():
            return
        path = directory / "signers" / f"{user.username}.p12"
        if not path.exists():
            pki.issue_signer_p12(directory, username=user.username, display_name=user.get_full_name(),
                                 passphrase=pki.passphrase_for("INATRADE_SIGNER_PASSPHRASE"))
        pki.clear_caches()
        signing_certificate_register(user=user, pkcs12_path=str(path))
    except Exception:  # noqa: BLE001 - without the dev PKI the documents wait for a certificate
        pass


def seed(out) -> list[tuple[str, str, str]]:
    logins = []
    officers = {}
    for username, first, last, position, issuer_code, regency in OFFICERS:
        user = _user(username, first, last, Role.ISSUER_OFFICER, position)
        IssuerMembership.objects.get_or_create(user=user, issuer=Issuer.objects.get(code=issuer_code), regency_id=regency)
        officers[(issuer_code, "regency" if regency else "province")] = user
        if regency is None:
            _ensure_signer(user)
        if username != "dinasdki":  # printed by accounts/demo.py already
            logins.append((username, PASSWORD, f"Petugas penerbit API · {position}"))
    dki = {"province": officers[("dinas-31", "province")], "regency": officers[("dinas-31", "regency")]}
    banten = {"province": officers[("dinas-36", "province")], "regency": officers[("dinas-36", "regency")]}

    # The three demo importers of accounts/demo.py.
    gula = Company.objects.filter(nib="9120001234567").first()
    rafinasi = Company.objects.filter(nib="9120007654321").first()
    ptpn = Company.objects.filter(nib="8120009876543").first()
    if gula and not ApiApplication.objects.filter(company=gula).exists() and not Api.objects.filter(company=gula).exists():
        with transaction.atomic():
            _progress(gula.users.get(username="4C7ADA"), "API-U", "active", dki)
    if rafinasi and not ApiApplication.objects.filter(company=rafinasi).exists() and not Api.objects.filter(company=rafinasi).exists():
        with transaction.atomic():
            _progress(rafinasi.users.get(username="5D8BEB"), "API-P", "active", banten)
    if ptpn and not Api.objects.filter(company=ptpn).exists():
        with transaction.atomic():
            services.api_record_nib(actor=ptpn.users.get(username="6E9CFC"), kind="API-P")

    # One company per kind and state, in Jakarta Selatan (3174).
    for k_index, kind in enumerate(["API-U", "API-P"]):
        for s_index, state in enumerate(STATES):
            nib = f"91299{k_index}{s_index:07d}"
            company, _ = Company.objects.get_or_create(
                nib=nib,
                defaults=dict(
                    name=f"PT Demo {kind} {state.replace('_', ' ').title()}", jenis_trader=JenisTrader.PERUSAHAAN,
                    npwp=_npwp(f"0{k_index}{s_index:02d}4567"), address=f"Jl. TB Simatupang No. {10 + s_index}, Jakarta Selatan",
                    province_code="31", regency_code="3174", email=f"impor.{kind.lower().replace('-', '')}.{state}@demo.co.id",
                    phone="+62 21 5600000",
                ),
            )
            if ApiApplication.objects.filter(company=company).exists():
                continue
            importer = _user(f"D{k_index}{s_index:04d}", "Demo", f"{kind} {state.replace('_', ' ')}", Role.IMPORTER, "Direktur", company)
            with transaction.atomic():
                _progress(importer, kind, state, dki)
    out.write(f"API registry: {Api.objects.count()} APIs, {ApiApplication.objects.count()} applications.\n")
    return logins
