"""SEC-06: PostgreSQL refuses UPDATE and DELETE of audit rows, whoever asks (the application's
role included); only a superuser who first disables the trigger can still rewrite them, and
then the keyed chain and the anchors kept outside the database tell. SQLite (development only)
has no trigger: its test runner empties tables with DELETE."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION inatrade_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER inatrade_auditentry_append_only
    BEFORE UPDATE OR DELETE ON inatrade_auditentry
    FOR EACH ROW EXECUTE FUNCTION inatrade_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS inatrade_auditentry_append_only ON inatrade_auditentry;
DROP FUNCTION IF EXISTS inatrade_audit_append_only();
"""


def create(apps, schema_editor):
    # schema_editor is None when tests/conftest.py replays the data migrations after a flush:
    # the schema (this trigger) survives a flush.
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)  # no parameters: the % of RAISE stays as it is


def drop(apps, schema_editor):
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("inatrade", "0004_seed_step_roles")]

    operations = [migrations.RunPython(create, drop)]
