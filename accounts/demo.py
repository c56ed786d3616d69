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
    ("PT Rafinasi Nusantara Industri", JenisTrader.PERUSAHAAN, "9120007654321", "023456786045000",
     "Kawasan Industri Cilegon Blok A-7, Cilegon", "36", "3672", False),
    ("PT Perkebunan Nusantara Gula (Persero)", JenisTrader.BUMN, "8120009876543", "019876545091000",
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
    ("admin", "Tim", "Pengelola", Role.ADMINISTRATOR, "Tim Pengelola INATRADE", None),
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
    return logins
