"""REL-01 for access rights on PostgreSQL: officers racing on one registration produce one
transition, one user, one e-mail; two workers running the inactivity job revoke once."""

import threading
from datetime import date, datetime

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts import services
from accounts.models import Registration, Revocation, Role, User
from inatrade.errors import DomainError
from inatrade.models import OutgoingEmail
from tests.factories import ImporterFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SQLite serializes writers)"),
]


def race(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results = []

    def worker(args):
        try:
            barrier.wait()
            results.append(("ok", target(*args)))
        except DomainError as exc:
            results.append(("refused", exc.code))
        except Exception as exc:  # noqa: BLE001
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_concurrent_approvals_create_one_user_and_one_email__HA_07_REL_01(validated, director):
    before = OutgoingEmail.objects.filter(template="registration_approved").count()

    def approve():
        return services.registration_approve(registration=Registration.objects.get(pk=validated.pk), actor=director).username

    results = race(approve, [()] * 20)
    assert [r[0] for r in results].count("ok") == 1, results
    assert all(r == ("refused", "invalid_transition") for r in results if r[0] != "ok"), results
    assert User.objects.filter(role=Role.IMPORTER).count() == 1
    assert OutgoingEmail.objects.filter(template="registration_approved").count() == before + 1


def test_two_workers_running_the_inactivity_job_revoke_once__HA_13_REL_04():
    stamp = timezone.make_aware(datetime(2026, 1, 5, 10))
    for _ in range(10):
        ImporterFactory(last_used_at=stamp)
    results = race(lambda: services.inactivity_revocation(as_of=date(2026, 9, 15)), [()] * 2)
    assert all(r[0] == "ok" for r in results), results
    assert sum(r[1]["revoked"] for r in results) == 10
    assert Revocation.objects.count() == 10
    assert OutgoingEmail.objects.filter(template="access_revoked_inactive").count() == 10
