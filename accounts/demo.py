"""Demo data of the accounts app: one user of every role and a few companies.

``seed(out)`` is called by ``manage.py seed_demo``; it is idempotent (get-or-create by a
natural key) and returns the logins it wants printed.
"""

from accounts.models import AccessStatus, Company, JenisTrader, Role, User

DEMO_PASSWORD = "Inatrade#2026"

COMPANIES = [
    # name, jenis trader, NIB, NPWP, address, province, regency, BUMN
    ("PT Gula Manis Sejahtera", JenisTrader.PERUSAHAAN, "9120001234567", "012345674012000",
     "Jl. Jenderal Sudirman Kav. 52-53, Jakarta Selatan", "31", "3174", False),
    ("PT Rafinasi Nusantara Industri", JenisTrader.PERUSAHAAN, "9120007654321", "023456783045000",
     "Kawasan Industri Cilegon Blok A-7, Cilegon", "36", "3672", False),
    ("PT Perkebunan Nusantara Gula (Persero)", JenisTrader.BUMN, "8120009876543", "019876549091000",
     "Jl. Pahlawan No. 28, Surabaya", "35", "3578", True),
]

USERS = [
    # username, first, last, role, position, company index or None
    ("4C7ADA", "Siti", "Rahayu", Role.IMPORTER, "Direktur Utama", 0),
    ("5D8BEB", "Agus", "Wibowo", Role.IMPORTER, "Manajer Impor", 1),
    ("6E9CFC", "Dewi", "Lestari", Role.IMPORTER, "Kepala Divisi Pengadaan", 2),
    ("uptp1", "Rina", "Marlina", Role.COUNTER_OFFICER, "Petugas UPTP I", None),
    ("verifikator", "Joko", "Susilo", Role.FIELD_VERIFIER, "Verifikator Lapangan", None),
    ("direktur", "Bambang", "Hartono", Role.DIRECTOR, "Direktur Fasilitasi Ekspor dan Impor", None),
    ("dirjen", "Sri", "Mulyani", Role.DIRECTOR_GENERAL, "Direktur Jenderal Perdagangan Luar Negeri", None),
    ("dinasdki", "Hendra", "Gunawan", Role.ISSUER_OFFICER, "Kepala Dinas PTSP Provinsi DKI Jakarta", None),
    ("kemenperin", "Yuni", "Astuti", Role.AGENCY, "Direktur Industri Makanan, Kementerian Perindustrian", None),
    ("surveyor", "Andi", "Pratama", Role.SURVEYOR, "Surveyor, PT Surveyor Indonesia (Persero)", None),
    ("admin", "Ratna", "Kusumawati", Role.ADMINISTRATOR, "Tim Pengelola INATRADE", None),
]


def seed(out) -> list[tuple[str, str, str]]:
    companies = []
    for name, jenis, nib, npwp, address, province, regency, bumn in COMPANIES:
        company, _ = Company.objects.get_or_create(
            nib=nib,
            defaults=dict(
                name=name, jenis_trader=jenis, npwp=npwp, address=address, province_code=province,
                regency_code=regency, email=f"impor@{name.split()[1].lower()}.co.id", phone="+62 21 5551234",
                is_bumn=bumn,
            ),
        )
        if company.npwp != npwp:  # older seeds had NPWPs failing the HA-02 check digit
            Company.objects.filter(pk=company.pk).update(npwp=npwp)
        companies.append(company)
    logins = []
    for username, first, last, role, position, company_index in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                first_name=first, last_name=last, role=role, position=position,
                email=f"{username.lower()}@demo.inatrade.example.go.id",
                company=companies[company_index] if company_index is not None else None,
                access_status=AccessStatus.ACTIVE,
                is_staff=role == Role.ADMINISTRATOR, is_superuser=role == Role.ADMINISTRATOR,
            ),
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        logins.append((username, DEMO_PASSWORD, f"{user.get_role_display()}" + (f" · {user.company}" if user.company else "")))
    seed_registrations(out)
    return logins


# HA-01…HA-08: one registration in every state, made through the services (so they carry
# their documents, BAPs, audit rows and e-mails like real ones).
REGISTRATIONS = [
    # company, NPWP, NIB, jenis trader, Kab/Kota of domicile (Kemendagri), final state
    ("PT Kopi Arabika Gayo", "031112220012000", "9120005550001", JenisTrader.PERUSAHAAN, "1104", "submitted"),
    ("PT Garam Samudra Timur", "042223339012000", "9120005550002", JenisTrader.PERUSAHAAN, "3529", "field_verification"),
    ("CV Rempah Maluku", "053334447012000", "9120005550003", JenisTrader.PERSEORANGAN_USAHA, "8171", "validated"),
    ("PT Tekstil Priangan", "064445554012000", "9120005550004", JenisTrader.PERUSAHAAN, "3273", "invalid"),
    ("PT Baja Krakatau Niaga", "075556662012000", "9120005550005", JenisTrader.PERUSAHAAN, "3672", "approved"),
    ("PT Niaga Fiktif Sentosa", "3174012345678901", "9120005550006", JenisTrader.PERUSAHAAN, "3174", "rejected"),
]


def _demo_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def seed_registrations(out) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import services
    from accounts.models import Bap, Registration

    officer = User.objects.get(username="uptp1")
    director = User.objects.get(username="direktur")
    verifier = User.objects.get(username="verifikator")
    for index, (name, npwp, nib, jenis, regency, state) in enumerate(REGISTRATIONS, start=1):
        if Registration.objects.filter(npwp=npwp).exists():
            continue
        slug = name.split()[1].lower()
        data = {
            "purpose": "impor", "jenis_trader": jenis, "company_name": name, "nib": nib, "npwp": npwp,
            "jenis_usaha": ["importir"], "tdp_number": f"0903{index:08d}", "address": f"Jl. Contoh Demo No. {index}",
            "regency_code": regency, "company_email": f"kantor@{slug}.co.id", "company_phone": "+62 21 5550000",
            "applicant_name": f"Pemohon Demo {index}", "applicant_position": "Direktur", "identity_kind": "nik",
            "identity_number": f"31710101018000{index:02d}", "applicant_email": f"pemohon@{slug}.co.id",
            "applicant_phone": "+62 812 0000 0000", "terms_accepted": True,
        }
        files = {kind: SimpleUploadedFile(f"{kind}.pdf", _demo_pdf()) for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney")}
        registration = services.registration_submit(data=data, files=files)
        # Rendered synchronously here (a worker does it after commit in the application;
        # it is idempotent, so the queued task finds the document stored and stops).
        services.registration_document_render(registration_id=registration.pk)
        if state == "field_verification":
            services.registration_assign_field_verifier(registration=registration, actor=director, verifier=verifier, instructions="Periksa alamat kantor dan gudang.")
        if state in ("validated", "approved", "rejected"):
            services.registration_validate(registration=registration, actor=officer, result="valid", notes="Dokumen asli sesuai.")
        if state == "invalid":
            services.registration_validate(registration=registration, actor=officer, result="invalid", notes="TDP asli tidak ditunjukkan.")
        bap = Bap.objects.filter(registration=registration).first()
        if bap is not None:
            services.bap_pdf_render(bap_id=bap.pk)
        if state == "approved":
            services.registration_approve(registration=registration, actor=director)
        if state == "rejected":
            services.registration_reject(registration=registration, actor=director, reason="NPWP tidak terdaftar aktif.")
        out.write(f"  registration {registration.reference} ({state}): /accounts/registration/{registration.access_key}/\n")
