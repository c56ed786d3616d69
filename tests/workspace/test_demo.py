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


def test_the_registration_list_and_the_work_list_tell_the_same_days_for_an_overdue_demo_case__SLA_03(settings, tmp_path, client):
    """Issue 17 finding 9: REG-3 showed 2 working days left in one list and "lewat 8 hari
    kerja" in the other (the demo moved the step's clock, not the case's; two calculations)."""
    import re

    from accounts import demo as accounts_demo
    from accounts.models import Registration

    settings.PKI_DIR = tmp_path / "no-pki"
    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    director = User.objects.get(username="direktur")
    late = next(s for s in work_list(user=director) if s.due_date and s.due_date < today() and s.kind == "registration")
    registration = Registration.objects.get(pk=late.case_id)
    assert registration.due_date == late.due_date

    client.force_login(director)
    work = client.get("/work/").content.decode()
    days = int(re.search(rf'data-reference="{late.reference}".*?lewat (\d+) hari kerja', work, re.S).group(1))
    listing = client.get("/accounts/registrations/").content.decode()
    row = listing[listing.index(late.reference):]
    assert int(re.search(r"lewat (\d+) hari kerja", row).group(1)) == days
