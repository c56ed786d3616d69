"""PERF-02: the work list (HTML and API) makes the same number of queries at 10 and at 200
rows, and at most 15: rows carry their step and assignee, days left come from one calendar."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from api_registry.models import Issuer, IssuerMembership
from tests.conftest import token_client
from tests.factories import CompanyFactory, UserFactory
from tests.workspace.conftest import step_row
from workspace.models import CaseKind, CaseStep

pytestmark = pytest.mark.django_db

ROWS = [  # (kind, step) of every kind of case the Director General or an issuer acts on
    (CaseKind.SUGAR_APPLICATION, "sugar_pi_decision", Role.DIRECTOR_GENERAL),
    (CaseKind.SUGAR_AMENDMENT, "sugar_pi_amendment", Role.DIRECTOR_GENERAL),
    (CaseKind.API_DESIGNATION, "produsen_importir", Role.DIRECTOR_GENERAL),
    (CaseKind.API_APPLICATION, "api_p_issue_dg", Role.DIRECTOR_GENERAL),
    (CaseKind.API_CHANGE, "api_amendment", Role.ISSUER_OFFICER),
    (CaseKind.API_APPLICATION, "api_issue_province", Role.ISSUER_OFFICER),
    (CaseKind.REGISTRATION, "hak_akses_grant", Role.DIRECTOR),
]
_seq = itertools.count()


def add_steps(n, *, companies, assignees, issuer):
    rows = []
    for i in range(n):
        kind, step, role = ROWS[i % len(ROWS)]
        due = None if i % 5 == 0 else (i % 40) - 10  # overdue, due soon, undated
        rows.append(step_row(
            reference=f"REF-{next(_seq):06d}", company=companies[i % len(companies)], kind=kind, step=step, role=role,
            due_in_days=due, started_days_ago=i % 30, assignee=assignees[i % len(assignees)] if i % 3 == 0 else None,
            issuer=issuer if role == Role.ISSUER_OFFICER else None,
        ))
    CaseStep.objects.bulk_create(rows)


def count(fn) -> int:
    fn()  # warm: the first call of a token or session records its use
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def people(db, dirjen, dirjen_2, administrator):
    issuer = Issuer.objects.first()
    officer = UserFactory(username="dinas", role=Role.ISSUER_OFFICER)
    IssuerMembership.objects.create(user=officer, issuer=issuer)
    return {"dirjen": dirjen, "issuer officer": officer, "administrator": administrator,
            "assignees": [dirjen, dirjen_2, officer], "issuer": issuer}


def test_the_work_list_makes_the_same_queries_at_10_and_200_rows__PERF_02(client, people):
    companies = [CompanyFactory() for _ in range(5)]
    officers = {name: people[name] for name in ("dirjen", "issuer officer", "administrator")}

    def measure():
        counts = {}
        for name, user in officers.items():
            api = token_client(user)
            client.force_login(user)
            counts[f"{name} html"] = count(lambda: client.get("/work/"))
            counts[f"{name} html filtered"] = count(lambda: client.get("/work/?overdue=true&assigned=unassigned&q=REF&page=2"))
            counts[f"{name} api"] = count(lambda: api.get("/api/v1/work/?page_size=100"))
        return counts

    add_steps(10, companies=companies, assignees=people["assignees"], issuer=people["issuer"])
    small = measure()
    add_steps(190, companies=companies, assignees=people["assignees"], issuer=people["issuer"])
    assert token_client(people["administrator"]).get("/api/v1/work/").json()["count"] == 200
    large = measure()
    assert small == large, (small, large)
    assert max(large.values()) <= 15, large
