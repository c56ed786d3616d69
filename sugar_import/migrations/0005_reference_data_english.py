"""Reference data in both languages (USE-01, issue 17 finding 8): purposes, sugar types and
countries get an English name; countries are named in Indonesian (``name``) with English in
``name_en`` (both from Debian's iso-codes, sugar_import/data/countries.json); the documents a
purpose needs get a ``label_en``. Rows an administrator edited keep their Indonesian name."""

import json
from pathlib import Path

from django.db import migrations, models

SUGAR_TYPES = {
    "GKM": "Raw sugar",
    "GKR": "Refined sugar",
    "GKP": "Plantation white sugar",
}
PURPOSES = {
    "industry": "Raw material for industry",
    "kite": "KITE (import facility for export) / bonded zone",
    "stabilization_gkm": "National sugar stock and price stabilisation (raw sugar to be processed into plantation white sugar)",
    "stabilization_gkp": "National sugar stock and price stabilisation (plantation white sugar)",
}
DOCUMENTS = {
    "kite_decision": "Decree of the Minister of Finance on KITE or the bonded zone",
    "no_domestic_sale": "Statement not to sell on the domestic market",
    "peb": "Export declarations (PEB) of earlier exports (if you held an import approval before)",
}


def forwards(apps, schema_editor):
    SugarType = apps.get_model("sugar_import", "SugarType")
    Purpose = apps.get_model("sugar_import", "Purpose")
    Country = apps.get_model("sugar_import", "Country")
    for code, english in SUGAR_TYPES.items():
        SugarType.objects.filter(code=code, name_en="").update(name_en=english)
    for purpose in Purpose.objects.all():
        purpose.name_en = purpose.name_en or PURPOSES.get(purpose.code, "")
        purpose.documents = [
            {**doc, "label_en": doc.get("label_en") or DOCUMENTS.get(doc.get("code"), "")} for doc in purpose.documents or []
        ]
        purpose.save(update_fields=["name_en", "documents"])
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "countries.json").read_text())
    rows = {code: (english, indonesian) for code, english, indonesian in data["countries"]}
    for country in Country.objects.filter(code__in=rows):
        english, indonesian = rows[country.code]
        if country.name == english:  # as seeded by 0002, not renamed by an administrator
            country.name = indonesian
        country.name_en = english
        country.save(update_fields=["name", "name_en"])


class Migration(migrations.Migration):
    dependencies = [("sugar_import", "0004_list_indexes")]

    operations = [
        migrations.AddField(
            model_name='country',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='nama (Inggris)'),
        ),
        migrations.AddField(
            model_name='purpose',
            name='name_en',
            field=models.CharField(blank=True, max_length=200, verbose_name='nama (Inggris)'),
        ),
        migrations.AddField(
            model_name='sugartype',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='nama (Inggris)'),
        ),
        migrations.AlterField(
            model_name='purpose',
            name='documents',
            field=models.JSONField(blank=True, default=list, help_text='[{"code": "kite_decision", "label": "...", "label_en": "...", "required": true}]', verbose_name='dokumen persyaratan'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
