"""Reference data of the API registry (style.md habit 10: data, editable in the admin).

- The 21 sections of the Harmonized System (P27 Pasal 4(4), Lampiran I) with their chapters.
- The 38 provinces with their Kemendagri codes and, for each, at least its capital's
  Kab/Kota (plus the Kab/Kota of the free-trade zones and of the demo companies). Codes of the
  four provinces split from Papua in 2022 follow Kepmendagri 100.1.1-6117/2022; check them
  in the admin against the latest Kepmendagri before production. Some Kab/Kota below carry
  the name of another code; 0004 corrects them, loads all 514 and fixes the zones' areas.
- The issuers and their number letters (API-03, API-05; P27 Pasal 18–21, 28(1)).
- The reason codes of freezes, reactivations and revocations (API-09, API-10; P27 Pasal
  35–39). The text of the lettered grounds is a summary: confirm it against the official text.
"""

from django.db import migrations

HS_SECTIONS = [
    (1, "I", "Binatang hidup; produk hewani", "Live animals; animal products", 1, 5),
    (2, "II", "Produk nabati", "Vegetable products", 6, 14),
    (3, "III", "Lemak dan minyak hewani atau nabati serta produk pemisahannya", "Animal or vegetable fats and oils", 15, 15),
    (4, "IV", "Olahan makanan; minuman, alkohol dan cuka; tembakau", "Prepared foodstuffs; beverages, spirits and vinegar; tobacco", 16, 24),
    (5, "V", "Produk mineral", "Mineral products", 25, 27),
    (6, "VI", "Produk industri kimia atau industri yang berkaitan", "Products of the chemical or allied industries", 28, 38),
    (7, "VII", "Plastik dan barang daripadanya; karet dan barang daripadanya", "Plastics and articles thereof; rubber and articles thereof", 39, 40),
    (8, "VIII", "Kulit mentah, kulit samak, kulit berbulu dan barang daripadanya", "Raw hides and skins, leather, furskins and articles thereof", 41, 43),
    (9, "IX", "Kayu dan barang dari kayu; gabus; barang anyaman", "Wood and articles of wood; cork; basketware", 44, 46),
    (10, "X", "Pulp dari kayu; kertas dan kertas karton serta barang daripadanya", "Pulp of wood; paper and paperboard and articles thereof", 47, 49),
    (11, "XI", "Bahan tekstil dan barang tekstil", "Textiles and textile articles", 50, 63),
    (12, "XII", "Alas kaki, tutup kepala, payung, tongkat; bulu unggas olahan; bunga tiruan", "Footwear, headgear, umbrellas; prepared feathers; artificial flowers", 64, 67),
    (13, "XIII", "Barang dari batu, plester, semen, asbes, mika; barang keramik; kaca", "Articles of stone, plaster, cement, asbestos, mica; ceramic products; glass", 68, 70),
    (14, "XIV", "Mutiara, batu mulia, logam mulia dan barang daripadanya; perhiasan imitasi; koin", "Pearls, precious stones and metals; imitation jewellery; coin", 71, 71),
    (15, "XV", "Logam tidak mulia dan barang dari logam tidak mulia", "Base metals and articles of base metal", 72, 83),
    (16, "XVI", "Mesin dan peralatan mekanis; perlengkapan elektrik; bagiannya", "Machinery and mechanical appliances; electrical equipment; parts", 84, 85),
    (17, "XVII", "Kendaraan, pesawat udara, kapal dan perlengkapan angkutan", "Vehicles, aircraft, vessels and associated transport equipment", 86, 89),
    (18, "XVIII", "Instrumen dan aparatus optik, fotografi, pengukuran, medis; jam; alat musik", "Optical, photographic, measuring, medical instruments; clocks; musical instruments", 90, 92),
    (19, "XIX", "Senjata dan amunisi; bagian dan asesorinya", "Arms and ammunition; parts and accessories", 93, 93),
    (20, "XX", "Berbagai barang hasil pabrik", "Miscellaneous manufactured articles", 94, 96),
    (21, "XXI", "Karya seni, barang koleksi dan barang antik", "Works of art, collectors' pieces and antiques", 97, 97),
]

# code, name, [(regency code, name), ...]: the capital first.
PROVINCES = [
    ("11", "Aceh", [("1171", "Kota Banda Aceh"), ("1172", "Kota Sabang")]),
    ("12", "Sumatera Utara", [("1275", "Kota Medan")]),
    ("13", "Sumatera Barat", [("1371", "Kota Padang")]),
    ("14", "Riau", [("1471", "Kota Pekanbaru")]),
    ("15", "Jambi", [("1571", "Kota Jambi")]),
    ("16", "Sumatera Selatan", [("1671", "Kota Palembang")]),
    ("17", "Bengkulu", [("1771", "Kota Bengkulu")]),
    ("18", "Lampung", [("1871", "Kota Bandar Lampung")]),
    ("19", "Kepulauan Bangka Belitung", [("1971", "Kota Pangkal Pinang")]),
    ("21", "Kepulauan Riau", [("2172", "Kota Tanjung Pinang"), ("2171", "Kota Batam"), ("2101", "Kabupaten Karimun"), ("2102", "Kabupaten Bintan")]),
    ("31", "DKI Jakarta", [("3173", "Kota Administrasi Jakarta Pusat"), ("3171", "Kota Administrasi Jakarta Selatan"), ("3172", "Kota Administrasi Jakarta Timur"), ("3174", "Kota Administrasi Jakarta Barat"), ("3175", "Kota Administrasi Jakarta Utara"), ("3101", "Kabupaten Administrasi Kepulauan Seribu")]),
    ("32", "Jawa Barat", [("3273", "Kota Bandung"), ("3216", "Kabupaten Bekasi"), ("3275", "Kota Bekasi")]),
    ("33", "Jawa Tengah", [("3374", "Kota Semarang")]),
    ("34", "Daerah Istimewa Yogyakarta", [("3471", "Kota Yogyakarta")]),
    ("35", "Jawa Timur", [("3578", "Kota Surabaya")]),
    ("36", "Banten", [("3673", "Kota Serang"), ("3672", "Kota Cilegon")]),
    ("51", "Bali", [("5171", "Kota Denpasar")]),
    ("52", "Nusa Tenggara Barat", [("5271", "Kota Mataram")]),
    ("53", "Nusa Tenggara Timur", [("5371", "Kota Kupang")]),
    ("61", "Kalimantan Barat", [("6171", "Kota Pontianak")]),
    ("62", "Kalimantan Tengah", [("6271", "Kota Palangka Raya")]),
    ("63", "Kalimantan Selatan", [("6372", "Kota Banjarbaru"), ("6371", "Kota Banjarmasin")]),
    ("64", "Kalimantan Timur", [("6472", "Kota Samarinda")]),
    ("65", "Kalimantan Utara", [("6502", "Kabupaten Bulungan")]),
    ("71", "Sulawesi Utara", [("7171", "Kota Manado")]),
    ("72", "Sulawesi Tengah", [("7271", "Kota Palu")]),
    ("73", "Sulawesi Selatan", [("7371", "Kota Makassar")]),
    ("74", "Sulawesi Tenggara", [("7471", "Kota Kendari")]),
    ("75", "Gorontalo", [("7571", "Kota Gorontalo")]),
    ("76", "Sulawesi Barat", [("7604", "Kabupaten Mamuju")]),
    ("81", "Maluku", [("8171", "Kota Ambon")]),
    ("82", "Maluku Utara", [("8272", "Kota Tidore Kepulauan")]),
    ("91", "Papua", [("9171", "Kota Jayapura")]),
    ("92", "Papua Barat", [("9202", "Kabupaten Manokwari")]),
    ("93", "Papua Selatan", [("9301", "Kabupaten Merauke")]),
    ("94", "Papua Tengah", [("9401", "Kabupaten Nabire")]),
    ("95", "Papua Pegunungan", [("9501", "Kabupaten Jayawijaya")]),
    ("96", "Papua Barat Daya", [("9671", "Kota Sorong")]),
]

# code, name, province, regencies of the zone. Zones issue under their own rules (Pasal
# 21(2)); their numbers keep the D letter of regional issuers until a zone decides otherwise.
ZONES = [
    ("bp-batam", "Badan Pengusahaan Kawasan Batam", "21", ["2171"]),
    ("bp-bintan", "Badan Pengusahaan Kawasan Bintan", "21", ["2102", "2172"]),
    ("bp-karimun", "Badan Pengusahaan Kawasan Karimun", "21", ["2101"]),
    ("bp-sabang", "Badan Pengusahaan Kawasan Sabang", "11", ["1172"]),
]

# kind, code, description, source, waiting years
SANCTION_REASONS = [
    ("freeze", "reregistration", "Tidak melakukan pendaftaran ulang dalam 30 hari kerja setelah masa 5 tahun", "Pasal 15(3)", 0),
    ("freeze", "reporting", "Tidak menyampaikan laporan realisasi impor triwulanan", "Pasal 35", 0),
    ("freeze", "change_not_reported", "Tidak melaporkan perubahan data API dalam 30 hari", "Pasal 35", 0),
    ("freeze", "investigation", "Sedang diperiksa dalam penyidikan atas dugaan tindak pidana di bidang impor/kepabeanan", "Pasal 35", 0),
    ("reactivate", "obligation_met", "Kewajiban yang menjadi dasar pembekuan telah dipenuhi", "Pasal 36", 0),
    ("reactivate", "investigation_closed", "Penyidikan dihentikan atau putusan pengadilan membebaskan", "Pasal 36", 0),
    ("revoke", "a", "Tidak memenuhi kewajiban dalam jangka waktu pembekuan", "Pasal 37 huruf a", 1),
    ("revoke", "b", "Tidak melakukan kegiatan usaha sesuai API", "Pasal 37 huruf b", 1),
    ("revoke", "c", "Tidak lagi memenuhi persyaratan kepemilikan API", "Pasal 37 huruf c", 1),
    ("revoke", "d", "Menyampaikan data atau keterangan yang tidak benar dalam permohonan API", "Pasal 37 huruf d", 2),
    ("revoke", "e", "Memperdagangkan atau memindahtangankan barang impor API-P", "Pasal 37 huruf e", 2),
    ("revoke", "f", "Menyalahgunakan API atau meminjamkannya kepada pihak lain", "Pasal 37 huruf f", 2),
    ("revoke", "g", "Dinyatakan bersalah oleh putusan pengadilan atas tindak pidana kepabeanan", "Pasal 37 huruf g", 2),
    ("revoke", "h", "Melanggar ketentuan impor lainnya berdasarkan putusan yang berkekuatan hukum tetap", "Pasal 37 huruf h", 2),
    ("pi_revoke", "a", "Tidak menyampaikan laporan realisasi impor Produsen Importir", "Pasal 38(1) huruf a", 1),
    ("pi_revoke", "b", "Memperdagangkan barang industri tertentu di luar tujuan tes pasar/komplementer", "Pasal 38(1) huruf b", 1),
]


def _region_model(apps, name):
    """The region model as of this migration (api_registry), or, when a test reseeds with the
    live registry after the regions moved to ``reference`` (issue 18), the moved one."""
    try:
        return apps.get_model("api_registry", name)
    except LookupError:
        return apps.get_model("reference", name)


def seed(apps, schema_editor):
    HsSection = apps.get_model("api_registry", "HsSection")
    Province = _region_model(apps, "Province")
    Regency = _region_model(apps, "Regency")
    Issuer = apps.get_model("api_registry", "Issuer")
    Reason = apps.get_model("api_registry", "ApiSanctionReason")
    for number, roman, title, title_en, first, last in HS_SECTIONS:
        HsSection.objects.update_or_create(
            number=number,
            defaults=dict(roman=roman, title=title, title_en=title_en, chapter_from=first, chapter_to=last),
        )
    for code, name, regencies in PROVINCES:
        province, _ = Province.objects.update_or_create(code=code, defaults={"name": name})
        for rcode, rname in regencies:
            Regency.objects.update_or_create(code=rcode, defaults={"province": province, "name": rname})
        Issuer.objects.update_or_create(
            code=f"dinas-{code}",
            defaults=dict(kind="dinas", name=f"Dinas Provinsi {name}", number_letter="D", province=province),
        )
    Issuer.objects.update_or_create(
        code="bkpm", defaults=dict(kind="bkpm", name="Badan Koordinasi Penanaman Modal (BKPM)", number_letter="B")
    )
    Issuer.objects.update_or_create(
        code="dirjen",
        defaults=dict(kind="dg", name="Direktur Jenderal Perdagangan Luar Negeri", number_letter="P"),
    )
    for code, name, province, regencies in ZONES:
        issuer, _ = Issuer.objects.update_or_create(
            code=code, defaults=dict(kind="zone", name=name, number_letter="D", province_id=province)
        )
        issuer.zone_regencies.set(regencies)
    for kind, code, description, source, years in SANCTION_REASONS:
        Reason.objects.update_or_create(
            kind=kind, code=code, defaults=dict(description=description, source=source, waiting_years=years)
        )


class Migration(migrations.Migration):
    dependencies = [("api_registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
