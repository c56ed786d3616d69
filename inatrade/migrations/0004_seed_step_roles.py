"""SLA-03: who acts on each step and who is told at 2 working days overdue (admin-editable),
and the steps officers work on without a legal deadline (UPTP I validation, field
verification), so those cases appear in the work lists too."""

from django.db import migrations

ROLES = {
    # step: (responsible role, escalation role)
    "hak_akses_validation": ("counter_officer", "director"),
    "hak_akses_field_verification": ("field_verifier", "director"),
    "hak_akses_grant": ("director", "director_general"),
    "hak_akses_decision": ("director", "director_general"),
    "sugar_pi_decision": ("director_general", "director"),
    "sugar_pi_amendment": ("director_general", "director"),
    "api_inspection_regency": ("issuer_officer", "director"),
    "api_inspection_province": ("issuer_officer", "director"),
    "api_bap_forward": ("issuer_officer", "director"),
    "api_issue_province": ("issuer_officer", "director"),
    "api_reject_province": ("issuer_officer", "director"),
    "api_issue": ("issuer_officer", "director"),
    "api_p_issue_dg": ("director_general", "director"),
    "api_p_reject_dg": ("director_general", "director"),
    "produsen_importir": ("director_general", "director"),
    "api_amendment": ("issuer_officer", "director"),
}

UNDATED = [
    ("hak_akses_validation", "Validasi dokumen registrasi di UPTP I dan BAP",
     "Registration documents validated at UPTP I, with the BAP", "P123 Pasal 6(2)"),
    ("hak_akses_field_verification", "Verifikasi lapangan registrasi Hak Akses",
     "Field verification of a Hak Akses registration", "P123 Pasal 6(3)"),
    ("hak_akses_decision", "Keputusan Direktur atas registrasi yang dokumennya tidak valid",
     "Director's decision on a registration whose documents are not valid", "P123 Pasal 5"),
    ("api_issue", "Penerbitan API oleh BKPM / Badan Pengusahaan",
     "API issued by BKPM or a zone authority", "P27 Pasal 23"),
]


def seed(apps, schema_editor):
    SlaStep = apps.get_model("inatrade", "SlaStep")
    for code, name, name_en, source in UNDATED:
        SlaStep.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "working_days": None, "source": source}
        )
    for code, (responsible, escalation) in ROLES.items():
        SlaStep.objects.filter(code=code).update(responsible_role=responsible, escalation_role=escalation)


def unseed(apps, schema_editor):
    apps.get_model("inatrade", "SlaStep").objects.filter(code__in=[row[0] for row in UNDATED]).delete()


class Migration(migrations.Migration):
    dependencies = [("inatrade", "0003_slastep_roles")]
    operations = [migrations.RunPython(seed, unseed)]
