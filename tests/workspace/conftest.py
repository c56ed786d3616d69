# The Hak Akses registrations of tests/accounts serve as cases here.
from tests.accounts.conftest import field_verifier, fields, submitted, uploads, validated  # noqa: F401

from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role  # noqa: E402
from inatrade.workdays import today  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from workspace.models import CaseKind, CaseStep  # noqa: E402

_CASE_IDS = iter(range(900_000, 10_000_000))


def step_row(*, reference, company=None, kind=CaseKind.SUGAR_APPLICATION, step="sugar_pi_decision", role=Role.DIRECTOR_GENERAL,
             due_in_days=None, started_days_ago=1, assignee=None, **extra) -> CaseStep:
    """An open step as the apps' services write it (the work list reads only this table)."""
    due = today() + timedelta(days=due_in_days) if due_in_days is not None else None
    return CaseStep(
        kind=kind, case_id=next(_CASE_IDS), page_arg=str(next(_CASE_IDS)), reference=reference,
        party_name=company.name if company else "PT Tanpa Akun", party_nib=company.nib if company else "",
        company=company, step_id=step, role=role, started_at=timezone.now() - timedelta(days=started_days_ago),
        due_date=due, assignee=assignee, assigned_at=timezone.now() if assignee else None, **extra,
    )


@pytest.fixture
def make_steps(db):
    def make(*rows: CaseStep) -> list[CaseStep]:
        return CaseStep.objects.bulk_create(rows)

    return make


@pytest.fixture
def dirjen(db):
    return UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, first_name="Dewi", last_name="Lestari", position="Direktur Jenderal")


@pytest.fixture
def dirjen_2(db):
    return UserFactory(username="dirjen2", role=Role.DIRECTOR_GENERAL, first_name="Agus", last_name="Wibowo", position="Plh. Direktur Jenderal")
