"""The regions move from api_registry to reference (issue 18) in Django's state only: the
tables ``api_registry_province`` and ``api_registry_regency`` stay as they are (created and
filled by api_registry's migrations 0001, 0002 and 0004), so no data moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Province',
                    fields=[
                        ('code', models.CharField(max_length=2, primary_key=True, serialize=False, verbose_name='kode')),
                        ('name', models.CharField(max_length=100, verbose_name='nama')),
                    ],
                    options={
                        'verbose_name': 'provinsi',
                        'verbose_name_plural': 'provinsi',
                        'db_table': 'api_registry_province',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='Regency',
                    fields=[
                        ('code', models.CharField(max_length=4, primary_key=True, serialize=False, verbose_name='kode')),
                        ('name', models.CharField(max_length=100, verbose_name='nama')),
                        ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='regencies', to='reference.province', verbose_name='provinsi')),
                    ],
                    options={
                        'verbose_name': 'kabupaten/kota',
                        'verbose_name_plural': 'kabupaten/kota',
                        'db_table': 'api_registry_regency',
                        'ordering': ['code'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
