"""SEC-03: schemathesis generates requests from the OpenAPI schema (/api/v1/schema/) and
calls every operation as an importer authenticated by token: no 5xx, and every response
matches what the schema says (status code, content type, body). Bounded examples per
operation keep the run short in CI."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from accounts.models import ApiToken
from tests.factories import ImporterFactory

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _load_schema():
    from inatrade.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI application, whose request signals would close the
    database connection that holds the test's transaction (PostgreSQL); Django's test
    client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def importer_token(db):
    _, key = ApiToken.issue(ImporterFactory())
    return key


@schema.parametrize()
@settings(
    max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck), database=None,
)
def test_the_api_answers_every_generated_request_as_its_schema_says__SEC_03(case, importer_token):
    case.call_and_validate(headers={"Authorization": f"Token {importer_token}"}, checks=CHECKS)
