"""USE-04: the served OpenAPI schema is one that standard tools accept and that documents each
operation for integrators (api.md, "Conventions")."""

import re

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from inatrade.api.operations import OPERATIONS

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
RULE_ID = re.compile(r"\b(?:HA|API|PI|DOC|SLA|AUD|USE|SEC|REL|PERF)-\d{2}\b")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    return json.loads(response.content)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_served_schema_passes_openapi_spec_validator__USE_04(schema):
    validate(schema)  # raises OpenAPIValidationError with the first problem


def test_a_default_that_breaks_its_own_constraints_is_not_published__USE_04():
    """The cause of the validator's failure: DRF's CharField(required=False, default="")
    without allow_blank publishes minLength 1 with default ''."""
    from inatrade.api.openapi import _drop_invalid_defaults

    component = {"properties": {"ref": {"type": "string", "minLength": 1, "default": ""},
                                "note": {"type": "string", "default": ""}}}
    _drop_invalid_defaults(component)
    assert "default" not in component["properties"]["ref"]
    assert component["properties"]["note"]["default"] == ""


def test_every_operation_has_a_summary_and_a_description_naming_its_rules__USE_04(schema):
    unknown = [op["operationId"] for _p, _m, op in _operations(schema)
               if op["operationId"] not in {k.replace(".", "_") for k in OPERATIONS}]
    assert unknown == [], "add these operations to inatrade/api/operations.py"
    for path, method, operation in _operations(schema):
        assert operation.get("summary"), (method, path)
        assert RULE_ID.search(operation.get("description", "")), (method, path)


def test_json_is_the_one_body_type_and_multipart_only_for_uploads__USE_04(schema):
    components = schema["components"]["schemas"]
    for path, method, operation in _operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        if not content:
            continue
        assert len(content) == 1, (method, path, list(content))
        (media_type, media), = content.items()
        assert media_type in ("application/json", "multipart/form-data"), (method, path)
        if media_type == "multipart/form-data":
            name = media["schema"]["$ref"].rsplit("/", 1)[-1]
            props = [*components[name]["properties"].values(), components[name].get("additionalProperties") or {}]
            assert any(p.get("format") == "binary" for p in props), (method, path)


def test_examples_and_error_responses_are_documented_and_valid__USE_04(schema):
    """Every JSON body (request, success, error) has an example valid against its schema;
    every operation documents api.md's error shape for 400, 401, 403, 404, 429."""
    for path, method, operation in _operations(schema):
        medias = [("request", ct, m) for ct, m in operation.get("requestBody", {}).get("content", {}).items()]
        medias += [(code, ct, m) for code, r in operation["responses"].items() for ct, m in (r.get("content") or {}).items()]
        for code, media_type, media in medias:
            if media_type != "application/json":
                continue
            assert "example" in media, (method, path, code)
            validator = OAS30Validator({"allOf": [media["schema"]], "components": schema["components"]})
            errors = [e.message for e in validator.iter_errors(media["example"])]
            assert errors == [], (method, path, code, errors[:3])
        for code in ("400", "401", "403", "404", "429"):
            error = operation["responses"][code]["content"]["application/json"]
            assert error["schema"] == {"$ref": "#/components/schemas/Error"}
            assert error["example"]["error"]["code"]


def test_binary_responses_are_declared_with_their_media_type__USE_04(schema):
    binaries = {
        (path, media_type)
        for path, _method, operation in _operations(schema)
        for response in operation["responses"].values()
        for media_type, media in (response.get("content") or {}).items()
        if media.get("schema") == {"type": "string", "format": "binary"}
    }
    assert ("/api/v1/sugar/permits/{number}/pdf", "application/pdf") in binaries
    assert ("/api/v1/permits/{number}/pdf", "application/pdf") in binaries
    assert ("/api/v1/registrations/{id}/document.pdf", "application/pdf") in binaries
