"""REL-06 when the signing fails at its very end: the COMMIT of the transaction that stores
the signed version (issue 21: a deadlock detected at commit left no error, kept the ten-minute
lease and showed the officer nothing).

The failure is real PostgreSQL behaviour, not a mock: a deferred constraint trigger on
``permits_permitversion`` raises SQLSTATE 40P01 (deadlock_detected) at COMMIT for the
update that marks a version signed, as many times as a test asks (counted by a sequence,
which a rollback does not undo). The tests run with real transactions (``transaction=True``)
so that the signing's transaction really commits."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from inatrade.models import OutgoingEmail
from permits.models import InswOutboxEvent, PermitStatus, PermitVersion, VersionState
from permits.services import SIGNING_DB_ATTEMPTS
from tests.conftest import token_client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a deferred constraint trigger failing at COMMIT (PostgreSQL)"),
]

SEQUENCE = "test_signing_commit_failures"


@pytest.fixture
def fail_signing_commits():
    """``fail_signing_commits(n)``: the next ``n`` commits that mark a version signed fail
    with a deadlock; returns a function telling how many such commits were tried."""

    def arm(times: int):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE {SEQUENCE}")
            cursor.execute(f"""
                CREATE FUNCTION test_fail_signing_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('{SEQUENCE}') <= {int(times)} THEN
                        RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected',
                            DETAIL = 'forced at commit by the test';
                    END IF;
                    RETURN NULL;
                END $$""")
            cursor.execute("""
                CREATE CONSTRAINT TRIGGER test_fail_signing_commit AFTER UPDATE ON permits_permitversion
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                WHEN (NEW.state = 'signed' AND OLD.state = 'awaiting_signature')
                EXECUTE FUNCTION test_fail_signing_commit()""")

        def commits_tried() -> int:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}")
                return cursor.fetchone()[0]

        return commits_tried

    yield arm
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_fail_signing_commit ON permits_permitversion")
        cursor.execute("DROP FUNCTION IF EXISTS test_fail_signing_commit()")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def _issue(company, dirjen, sugar_content, number):
    from permits.services import permit_issue

    # Outside any transaction: permit_issue commits, and after commit the (eager) signing task
    # runs and commits its own transaction, where the trigger strikes.
    permit = permit_issue(kind="sugar_pi", holder=company, number=number, content=sugar_content, signer=dirjen, actor=dirjen)
    permit.refresh_from_db()
    return permit


def _stored_pdfs(company) -> set[str]:
    folder = f"permits/{company.pk}"
    return {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]} if default_storage.exists(folder) else set()


@pytest.mark.usefixtures("dirjen_certificate")
def test_a_deadlock_at_commit_is_retried_at_once_and_the_permit_is_signed_once__REL_06(
        company, dirjen, sugar_content, fail_signing_commits):
    commits_tried = fail_signing_commits(1)
    permit = _issue(company, dirjen, sugar_content, "04.PI-05.26.2101")
    assert commits_tried() == 2  # the failed commit, and the immediate retry
    version = permit.versions.get()
    assert permit.status == PermitStatus.VALID and version.state == VersionState.SIGNED
    assert version.signing_attempts == 1 and version.signing_error == "" and version.signing_claimed_until is None
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 1
    assert OutgoingEmail.objects.filter(template="permit_signed").count() == 1
    assert _stored_pdfs(company) == {version.pdf_path}  # the failed try's PDF was not kept


@pytest.mark.usefixtures("dirjen_certificate")
def test_a_commit_that_keeps_failing_is_recorded_the_lease_released_and_the_officers_retry_signs_it_once__REL_06(
        company, dirjen, sugar_content, fail_signing_commits, client):
    commits_tried = fail_signing_commits(SIGNING_DB_ATTEMPTS)
    permit = _issue(company, dirjen, sugar_content, "04.PI-05.26.2102")
    assert commits_tried() == SIGNING_DB_ATTEMPTS  # bounded: no endless retrying
    version = permit.versions.get()
    # the error is recorded, the lease released, the next attempt scheduled
    assert permit.status == PermitStatus.AWAITING_SIGNATURE and version.state == VersionState.AWAITING_SIGNATURE
    assert "deadlock detected" in version.signing_error and version.signing_failed_at is not None
    assert version.signing_claimed_until is None
    assert version.signing_attempts == 1 and version.signing_next_attempt_at is not None
    assert _stored_pdfs(company) == set()  # no orphaned PDF of the failed attempts
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 0
    assert OutgoingEmail.objects.filter(template="permit_signing_failed").count() == 1

    # the officer sees it, on the page and in the API
    client.force_login(dirjen)
    page = client.get(f"/permits/{permit.number}/signing")
    assert page.status_code == 200
    assert "deadlock detected" in page.content.decode() and 'id="signing-retry"' in page.content.decode()
    listing = client.get("/permits/").content.decode()
    assert f"/permits/{permit.number}/signing" in listing
    api = token_client(dirjen).get(f"/api/v1/permits/{permit.number}/signing")
    assert api.status_code == 200
    assert api.json()["state"] == "failed" and "deadlock detected" in api.json()["error"]

    # and retries: the signing completes, once
    response = client.post(f"/permits/{permit.number}/signing/retry")
    assert response.status_code == 302
    permit.refresh_from_db()
    version.refresh_from_db()
    assert permit.status == PermitStatus.VALID and version.state == VersionState.SIGNED
    assert version.signing_error == "" and version.signing_attempts == 2
    assert PermitVersion.objects.filter(permit=permit).count() == 1
    assert PermitVersion.objects.filter(permit=permit, state=VersionState.SIGNED).count() == 1
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 1
    assert OutgoingEmail.objects.filter(template="permit_signed").count() == 1
    assert _stored_pdfs(company) == {version.pdf_path}
    assert client.get(f"/permits/{permit.number}/signing").content.decode().count("deadlock detected") == 0


@pytest.mark.usefixtures("dirjen_certificate")
def test_a_persistent_failure_stays_visible_on_the_officers_pages_and_the_api_after_each_retry__REL_06(
        company, dirjen, sugar_content, fail_signing_commits, client):
    from accounts.models import Role
    from tests.factories import ImporterFactory, UserFactory

    fail_signing_commits(1000)
    permit = _issue(company, dirjen, sugar_content, "04.PI-05.26.2103")
    api = token_client(dirjen)
    retried = api.post(f"/api/v1/permits/{permit.number}/signing/retry")
    assert retried.status_code == 202
    assert retried.json()["state"] == "failed" and "deadlock detected" in retried.json()["error"]
    assert retried.json()["attempts"] == 2
    version = permit.versions.get()
    assert version.signing_claimed_until is None and version.state == VersionState.AWAITING_SIGNATURE
    assert _stored_pdfs(company) == set()
    # a counter officer sees the error too (read only: no retry button, and the retry is refused)
    counter = UserFactory(role=Role.COUNTER_OFFICER)
    client.force_login(counter)
    page = client.get(f"/permits/{permit.number}/signing").content.decode()
    assert "deadlock detected" in page and 'id="signing-retry"' not in page
    assert 'penandatanganan gagal' in client.get("/permits/").content.decode()
    assert token_client(counter).post(f"/api/v1/permits/{permit.number}/signing/retry").status_code == 403
    # the importer does not see the internal error
    assert token_client(ImporterFactory(company=permit.holder)).get(
        f"/api/v1/permits/{permit.number}/signing").status_code == 403
