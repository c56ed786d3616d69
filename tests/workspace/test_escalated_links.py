"""SLA-03 with USE-01: a case escalated to a role appears in that role's work list, and the
link there opens the case for them (it answered 403 to the director and the director general)."""

import re

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.api_registry.conftest import dinas_dki, regency_officer, submitted_application  # noqa: F401
from tests.factories import UserFactory
from workspace.models import CaseStep

pytestmark = pytest.mark.django_db


def _links(response) -> list[str]:
    return re.findall(r'<tr data-reference="[^"]+"[^>]*>\s*<td><a href="([^"]+)"', response.content.decode())


def _escalate(case_id):
    CaseStep.objects.filter(case_id=case_id, finished_at__isnull=True).update(
        due_date=timezone.localdate() - timezone.timedelta(days=20), escalated_at=timezone.now())


def test_the_director_general_opens_an_escalated_registration_from_the_work_list__SLA_03_USE_01(client, validated):
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL)
    _escalate(validated.pk)
    client.force_login(dirjen)
    links = _links(client.get("/work/"))
    assert links, "the escalated registration is in the DG's list"
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_director_opens_an_escalated_api_application_from_the_work_list__SLA_03_USE_01(client, owner, regency_officer, director):
    application = submitted_application(owner)
    _escalate(application.pk)
    client.force_login(director)
    links = _links(client.get("/work/"))
    assert any("/api-registry/applications/" in link for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link
