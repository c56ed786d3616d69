"""Reference data of sugar imports, each with its legal source (style.md habit 10).

- Sugar types, HS codes, ICUMSA limits: P14 Lampiran I–II (rules.md PI-04).
- Purposes and who may apply: P14 Pasal 5–8, 11–14 (rules.md PI-02); validity P14 Pasal 5 (PI-07).
- Ports of discharge: the main Indonesian sea ports, by UN/LOCODE.
- Countries: ISO 3166-1 alpha-2 (sugar_import/data/countries.json, from Debian's iso-codes).

Everything is editable in the admin afterwards; this migration only fills empty tables.
"""

import json
from pathlib import Path

from django.db import migrations

SUGAR_TYPES = [
    # code, name, HS codes, ICUMSA min, ICUMSA max, requires a surveyor's LS (P14 Pasal 13)
    ("GKM", "Gula Kristal Mentah (Raw Sugar)", ["1701.12.00", "1701.13.00", "1701.14.00"], 600, None, True),
    ("GKR", "Gula Kristal Rafinasi (Refined Sugar)", ["1701.99.11", "1701.99.19"], None, 75, False),
    ("GKP", "Gula Kristal Putih (Plantation White Sugar)", ["1701.91.00", "1701.99.90"], 81, 200, False),
]

PURPOSES = [
    {
        "code": "industry", "sort": 1,
        "name": "Bahan baku industri",
        "sugar_types": ["GKM", "GKR"],
        "applicant_rule": "api_p",
        "requires_recommendation": True, "requires_assignment": False, "recommendation_or_assignment": False,
        "validity_rule": "recommendation",
        "industry_only": True,
        "documents": [],
        "legal_source": "Permendag 14/2020 Pasal 3(2)b, 5(1), 12",
    },
    {
        "code": "kite", "sort": 2,
        "name": "KITE / kawasan berikat",
        "sugar_types": ["GKM", "GKR"],
        "applicant_rule": "api_p",
        "requires_recommendation": False, "requires_assignment": False, "recommendation_or_assignment": False,
        "validity_rule": "recommendation",
        "industry_only": True,
        "documents": [
            {"code": "kite_decision", "label": "Keputusan Menteri Keuangan tentang KITE atau kawasan berikat", "required": True},
            {"code": "no_domestic_sale", "label": "Surat pernyataan tidak menjual ke pasar dalam negeri", "required": True},
            {"code": "peb", "label": "PEB atas ekspor sebelumnya (bila pernah memiliki PI)", "required": False, "required_if_prior_permit": True},
        ],
        "legal_source": "Permendag 14/2020 Pasal 5(3), 12",
    },
    {
        "code": "stabilization_gkm", "sort": 3,
        "name": "Stok gula nasional dan stabilisasi harga (GKM untuk diolah menjadi GKP)",
        "sugar_types": ["GKM"],
        "applicant_rule": "api_p_or_bumn",
        "requires_recommendation": False, "requires_assignment": False, "recommendation_or_assignment": True,
        "validity_rule": "six_months",
        "industry_only": False,
        "documents": [],
        "legal_source": "Permendag 14/2020 Pasal 5(2); ketentuan stabilisasi Pasal 6–7, 9",
    },
    {
        "code": "stabilization_gkp", "sort": 4,
        "name": "Stok gula nasional dan stabilisasi harga (GKP)",
        "sugar_types": ["GKP"],
        "applicant_rule": "bumn_only",
        "requires_recommendation": False, "requires_assignment": True, "recommendation_or_assignment": False,
        "validity_rule": "six_months",
        "industry_only": False,
        "documents": [],
        "legal_source": "Permendag 14/2020 Pasal 3(2)c, 5(2); ketentuan stabilisasi Pasal 6, 8, 9",
    },
]

PORTS = [
    ("IDTPP", "Tanjung Priok, Jakarta"),
    ("IDSUB", "Tanjung Perak, Surabaya"),
    ("IDBLW", "Belawan, Medan"),
    ("IDSRG", "Tanjung Emas, Semarang"),
    ("IDMAK", "Makassar"),
    ("IDPNK", "Pontianak"),
    ("IDBPN", "Balikpapan"),
    ("IDPLM", "Palembang"),
    ("IDCXP", "Cilacap"),
    ("IDBDJ", "Banjarmasin"),
    ("IDPNJ", "Panjang, Lampung"),
    ("IDDUM", "Dumai"),
    ("IDBIT", "Bitung"),
]


def seed(apps, schema_editor):
    SugarType = apps.get_model("sugar_import", "SugarType")
    Purpose = apps.get_model("sugar_import", "Purpose")
    Port = apps.get_model("sugar_import", "Port")
    Country = apps.get_model("sugar_import", "Country")
    for code, name, hs_codes, lo, hi, ls in SUGAR_TYPES:
        SugarType.objects.get_or_create(
            code=code,
            defaults={"name": name, "hs_codes": hs_codes, "icumsa_min": lo, "icumsa_max": hi, "requires_surveyor": ls,
                      "legal_source": "Permendag 14/2020 Lampiran I–II"},
        )
    for row in PURPOSES:
        row = dict(row)
        types = row.pop("sugar_types")
        purpose, created = Purpose.objects.get_or_create(code=row.pop("code"), defaults=row)
        if created:
            purpose.sugar_types.set(SugarType.objects.filter(code__in=types))
    for code, name in PORTS:
        Port.objects.get_or_create(code=code, defaults={"name": name})
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "countries.json").read_text())
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create([Country(code=c, name=n) for c, n, *_ in data["countries"] if c not in existing])


class Migration(migrations.Migration):
    dependencies = [("sugar_import", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
