"""Issue 17 finding 10: the API docs give each operation a summary and lead back to the portal."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_every_operation_of_the_schema_has_a_summary_and_the_docs_link_back_to_the_portal(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()
                  if method in {"get", "post", "put", "patch", "delete"}]
    assert operations
    missing = [f"{method.upper()} {path}" for path, method, op in operations if not (op.get("summary") or "").strip()]
    assert not missing, missing
    assert "](/)" in schema["info"]["description"]
