"""SLA-04: the legal deadlines in working days, each with its source (editable in the admin)."""

from django.db import migrations

SLA_STEPS = [
    ("hak_akses_grant", "Pemberian Hak Akses setelah dokumen registrasi diterima lengkap dan benar",
     "Access right granted after the registration documents are received complete", 2, "P123 Pasal 6(4)"),
    ("sugar_pi_decision", "Penerbitan atau penolakan Persetujuan Impor gula setelah permohonan lengkap",
     "Sugar PI issued or rejected after a complete application", 3, "P14 Pasal 4"),
    ("sugar_pi_amendment", "Penerbitan atau penolakan perubahan Persetujuan Impor gula",
     "Sugar PI amendment issued or rejected", 3, "P14 Pasal 7"),
    ("api_inspection_regency", "Pemeriksaan lapangan API oleh Kabupaten/Kota setelah menerima tembusan permohonan",
     "API field inspection by the Kab/Kota office after receiving the copy of the application", 3, "P27 Pasal 25(1)"),
    ("api_inspection_province", "Pemeriksaan lapangan API oleh Provinsi bila Kabupaten/Kota belum melakukannya",
     "API field inspection by the province when Kab/Kota has not finished", 7, "P27 Pasal 25(2)"),
    ("api_bap_forward", "Penyampaian BAP dari Kabupaten/Kota ke Provinsi setelah ditandatangani",
     "BAP forwarded from Kab/Kota to the province after it is signed", 2, "P27 Pasal 25(4)"),
    ("api_issue_province", "Penerbitan API oleh Provinsi setelah BAP lengkap",
     "API issued by the province after a complete BAP", 5, "P27 Pasal 26(1)"),
    ("api_reject_province", "Penolakan API oleh Provinsi, dengan alasan, setelah BAP",
     "API rejected by the province, with reasons, after the BAP", 7, "P27 Pasal 26(3)"),
    ("api_p_issue_dg", "Penerbitan API-P oleh Direktur Jenderal (kontraktor energi, migas, pertambangan)",
     "API-P issued by the Director General (energy / oil & gas / mining contractors)", 5, "P27 Pasal 24(1)"),
    ("api_p_reject_dg", "Penolakan API-P oleh Direktur Jenderal, dengan alasan",
     "API-P rejected by the Director General, with reasons", 7, "P27 Pasal 24(2)"),
    ("produsen_importir", "Penetapan Produsen Importir",
     "Produsen Importir designation", 5, "P27 Pasal 11(2)"),
    ("api_amendment", "Penerbitan API perubahan",
     "Amended API issued", 3, "P27 Pasal 31(4)"),
]


def seed(apps, schema_editor):
    SlaStep = apps.get_model("inatrade", "SlaStep")
    for code, name, name_en, days, source in SLA_STEPS:
        SlaStep.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "working_days": days, "source": source}
        )


def unseed(apps, schema_editor):
    apps.get_model("inatrade", "SlaStep").objects.filter(code__in=[row[0] for row in SLA_STEPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("inatrade", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
