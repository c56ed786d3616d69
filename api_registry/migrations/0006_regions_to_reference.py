"""The regions moved to the ``reference`` app (issue 18): this app's foreign keys now name
``reference.Province`` / ``reference.Regency``. State only: the tables and their constraints
are unchanged (``reference.0001`` keeps the old table names)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api_registry', '0005_verbose_names'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='issuer',
                    name='province',
                    field=models.ForeignKey(blank=True, help_text='Dinas: provinsinya. Badan Pengusahaan: provinsi kawasannya.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='issuers', to='reference.province', verbose_name='provinsi'),
                ),
                migrations.AlterField(
                    model_name='apiapplication',
                    name='regency',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.regency'),
                ),
                migrations.AlterField(
                    model_name='issuermembership',
                    name='regency',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='reference.regency'),
                ),
                migrations.AlterField(
                    model_name='issuer',
                    name='zone_regencies',
                    field=models.ManyToManyField(blank=True, help_text='Badan Pengusahaan: Kab/Kota kawasan perdagangan bebas.', related_name='zone_issuers', to='reference.regency', verbose_name='wilayah kawasan'),
                ),
            ],
            database_operations=[],
        ),
    ]
