"""The 38 provinces and all 514 Kabupaten/Kota with their Kemendagri codes (API-05).

Read from ``api_registry/data/provinces.csv`` and ``regencies.csv`` (idn-area-data 4.0.1,
from Kepmendagri; ODbL 1.0, see ``api_registry/data/README.md``). A code ``31.71`` becomes
the key ``3171``. Every code is created or, when it exists, given its Kemendagri name and
province (the effect of ``update_or_create``, in three queries instead of a thousand).

0002 seeded only about fifty Kab/Kota, and several of them carried the name of another code
(BPS numbering): 3171 is Jakarta Pusat (0002: Jakarta Selatan), 3172 Jakarta Utara, 3173
Jakarta Barat, 3174 Jakarta Selatan, 3175 Jakarta Timur; 1275 is Binjai (Medan is 1271);
2101 is Bintan and 2102 Karimun (0002 had them swapped); 6502 is Malinau (Bulungan is 6501);
7604 is Polewali Mandar (Mamuju is 7602). Their names are corrected here. Province 31 takes
its Kepmendagri name, Daerah Khusus Ibukota Jakarta; issuer names are left as they are
("Dinas Provinsi DKI Jakarta").

Records made before this migration keep their codes: a company, an officer's membership or an
application that chose a code by its old (wrong) name now points to the Kemendagri Kab/Kota
of that code. An administrator should check them in the admin.

The free-trade zones' Kab/Kota follow the corrected codes: Batam 2171 (PP 46/2007), Bintan
2101 and Tanjung Pinang 2172 (PP 47/2007), Karimun 2102 (PP 48/2007), Sabang 1172 (UU
37/2000). Only the swapped codes are moved; any other Kab/Kota an administrator added stays.

Codes absent from the files are not deleted (applications, memberships and zones may refer
to them). Idempotent: the test suite replays it after a flush.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

# zone issuer code: (Kab/Kota its area must hold, Kab/Kota 0002 gave it by mistake)
ZONE_REGENCIES = {
    "bp-batam": (["2171"], []),
    "bp-bintan": (["2101", "2172"], ["2102"]),
    "bp-karimun": (["2102"], ["2101"]),
    "bp-sabang": (["1172"], []),
}


def _rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _region_model(apps, name):
    """The region model as of this migration (api_registry), or, when a test reseeds with the
    live registry after the regions moved to ``reference`` (issue 18), the moved one."""
    try:
        return apps.get_model("api_registry", name)
    except LookupError:
        return apps.get_model("reference", name)


def seed(apps, schema_editor):
    Province = _region_model(apps, "Province")
    Regency = _region_model(apps, "Regency")
    Issuer = apps.get_model("api_registry", "Issuer")

    for row in _rows("provinces.csv"):
        Province.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})

    existing = {regency.code: regency for regency in Regency.objects.all()}
    create, update = [], []
    for row in _rows("regencies.csv"):
        code = row["code"].replace(".", "")
        if len(code) != 4 or not code.isdigit() or code[:2] != row["province_code"]:
            raise ValueError(f"unexpected Kab/Kota code {row['code']!r} in regencies.csv")
        regency = existing.get(code)
        if regency is None:
            create.append(Regency(code=code, province_id=row["province_code"], name=row["name"]))
        elif (regency.name, regency.province_id) != (row["name"], row["province_code"]):
            regency.name, regency.province_id = row["name"], row["province_code"]
            update.append(regency)
    Regency.objects.bulk_create(create)
    Regency.objects.bulk_update(update, ["name", "province"])

    for code, (right, wrong) in ZONE_REGENCIES.items():
        issuer = Issuer.objects.filter(code=code).first()
        if issuer is None:
            continue
        issuer.zone_regencies.remove(*wrong)
        issuer.zone_regencies.add(*right)


class Migration(migrations.Migration):
    dependencies = [("api_registry", "0003_list_indexes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
