"""seed_demo: every demo officer with open work sees one overdue and one claimed step in
their work list (SLA-03); a second run changes nothing."""

import io

import pytest

from accounts.models import User
from inatrade.workdays import today
from workspace import demo
from workspace.models import CaseStep
from workspace.selectors import work_list

pytestmark = pytest.mark.django_db


def test_the_demo_officers_see_an_overdue_and_a_claimed_step_and_seeding_is_idempotent__SLA_03(settings, tmp_path):
    from accounts import demo as accounts_demo
    from api_registry import demo as api_demo

    settings.PKI_DIR = tmp_path / "no-pki"  # documents wait for a certificate; no signing here
    accounts_demo.seed(io.StringIO())
    api_demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    for username in ("dinasdki", "direktur"):
        user = User.objects.get(username=username)
        rows = list(work_list(user=user))
        assert rows[0].due_date is not None and rows[0].due_date < today(), username  # overdue comes first
        assert rows[0].assignee_id is None
        assert any(r.assignee_id == user.pk for r in rows), username

    before = list(CaseStep.objects.order_by("pk").values_list("pk", "started_at", "due_date", "assignee_id"))
    demo.seed(io.StringIO())
    assert list(CaseStep.objects.order_by("pk").values_list("pk", "started_at", "due_date", "assignee_id")) == before
