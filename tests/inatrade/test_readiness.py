"""Issue 19, readiness: /readyz and `manage.py check_ready` name the failing part with 503 /
exit status 1."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_readyz_answers_503_naming_the_object_store_when_it_cannot_store__issue_19(client, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def refuse(*args, **kwargs):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not_ready" and body["failing"] == ["storage"]
    assert "bucket unreachable" in body["checks"]["storage"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_readyz_names_pending_migrations__issue_19(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def plan_with_one_pending(self, targets, clean_start=False):
        from django.db.migrations import Migration

        return [(Migration("0099_future", "permits"), False)] + real(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_one_pending)
    body = client.get("/readyz").json()
    assert body["failing"] == ["migrations"] and "permits.0099_future" in body["checks"]["migrations"]["detail"]


def test_readyz_names_redis_when_it_is_configured_and_down__issue_19(client, settings, monkeypatch):
    from inatrade import joblock

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(joblock, "_redis_client", None)
    try:
        response = client.get("/readyz")
    finally:
        joblock._redis_client = None
    assert response.status_code == 503 and "redis" in response.json()["failing"]


def test_check_ready_prints_every_check_and_fails_with_the_failing_part__issue_19(capsys, monkeypatch):
    call_command("check_ready")
    out = capsys.readouterr().out
    assert "ok   database" in out and "ok   storage" in out and "ready (" in out

    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(FileSystemStorage, "save", lambda *a, **k: (_ for _ in ()).throw(OSError("no bucket")))
    with pytest.raises(CommandError, match="not ready: storage"):
        call_command("check_ready")
    assert "FAIL storage: OSError: no bucket" in capsys.readouterr().out
