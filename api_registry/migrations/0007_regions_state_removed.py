"""The regions leave this app's state once every foreign key names ``reference`` (issue 18).
State only: the tables now belong to ``reference.Province`` / ``reference.Regency``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api_registry', '0006_regions_to_reference'),
        ('workspace', '0006_regency_from_reference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Regency'),
                migrations.DeleteModel(name='Province'),
            ],
            database_operations=[],
        ),
    ]
