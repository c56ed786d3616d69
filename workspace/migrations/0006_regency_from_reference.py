"""CaseStep.regency names ``reference.Regency`` since the regions moved out of api_registry
(issue 18). State only: the column and its constraint already point at the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reference', '0001_initial'),
        ('api_registry', '0006_regions_to_reference'),
        ('workspace', '0005_case_kind_choices_from_registry'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='casestep',
                    name='regency',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.regency'),
                ),
            ],
            database_operations=[],
        ),
    ]
