"""Postprocessing of the OpenAPI schema for integrators (USE-04), in one place.

drf-spectacular builds the schema from the views; this hook makes it one that standard tools
accept and that reads well in a generated client, by rules rather than by hand per view:

- every operation gets the summary and rule ids of ``inatrade.api.operations``;
- a body is documented as JSON only, or as ``multipart/form-data`` only when the operation
  uploads a file (a binary field): no form-urlencoded variants that generators turn into
  unusable signatures;
- a ``default`` that breaks its own field's constraints (e.g. ``default: ''`` on a string with
  ``minLength: 1``, which DRF emits for ``CharField(required=False, default="")``) is dropped:
  the server fills it when the field is omitted, a client never sends it;
- request, response and error bodies get an example built from their schema (valid against
  it; the schema test checks), errors in api.md's one shape;
- binary responses keep ``type: string, format: binary`` under their media type.
"""

from __future__ import annotations

import copy
import re

from inatrade.api.operations import OPERATIONS

METHODS = ("get", "post", "put", "patch", "delete")
JSON = "application/json"
MULTIPART = "multipart/form-data"
ERROR_EXAMPLES = {
    "400": ("invalid", "Data yang dikirim tidak valid.", {"volume_tonnes": ["Pastikan nilai ini lebih besar dari atau sama dengan 0."]}),
    "401": ("not_authenticated", "Kredensial autentikasi tidak diberikan.", {}),
    "403": ("permission_denied", "Anda tidak memiliki izin untuk melakukan tindakan ini.", {}),
    "404": ("not_found", "Tidak ditemukan.", {}),
    "409": ("conflict", "Status objek tidak mengizinkan tindakan ini.", {}),
    "413": ("file_too_large", "Berkas terlalu besar.", {}),
    "415": ("unsupported_media_type", "Jenis berkas tidak didukung.", {}),
    "429": ("throttled", "Terlalu banyak permintaan.", {}),
}
RULE_ID = re.compile(r"\b(?:HA|API|PI|DOC|SLA|AUD|USE|SEC|REL|PERF)-\d{2}\b")

# Example values by field name, then by format; each is used only if it satisfies the field's
# pattern and length, otherwise a generic value is tried.
_BY_NAME = {
    "hs_code": "1701.14.00", "nib": "9120001234567", "company_nib": "9120001234567",
    "npwp": "01.234.567.8-012.000", "period": "2026-03", "regency_code": "31.71",
    "sugar_type": "GKR", "origin_country": "TH", "port_of_discharge": "IDTPP", "email": "importir@example.co.id",
    "url": "https://erp.example.co.id/inatrade/webhooks", "username": "A1B2C3", "kind": "recommendation",
    "number": "PI-GULA/2026/000001", "permit_number": "PI-GULA/2026/000001", "reason": "Data tidak lengkap.",
}
_BY_FORMAT = {
    "date": "2026-03-16", "date-time": "2026-03-16T09:00:00+07:00", "email": "importir@example.co.id",
    "uri": "https://inatrade.example.go.id/verify/PI-GULA-2026-000001", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "decimal": "1250.500", "ipv4": "203.0.113.10", "time": "09:00:00",
}
_GENERIC_STRINGS = ("string", "1250.500", "2026-03", "1701.14.00", "9120001234567", "A", "1")


class _NoExample(Exception):
    pass


# Multipart bodies that a serializer cannot describe: files named by position. The component
# replaces the operation's request body (these operations upload files, so multipart only).
MULTIPART_BODIES = {
    "sugar_permits_reports_create": ("SugarReportMultipartRequest", {
        "type": "object",
        "required": ["period"],
        "description": "PI-11. `shipments` is a JSON array of `{pib_number, pib_date, hs_code, volume_tonnes}`; "
                       "the PIB of shipment *i* is the file `pib_file_<i>` (PDF). A nil report has no shipments.",
        "properties": {
            "period": {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"},
            "nil_report": {"type": "boolean", "default": False},
            "destination": {"type": "string", "maxLength": 2000},
            "shipments": {"type": "string", "description": "JSON array of shipments",
                          "example": '[{"pib_number": "004512", "pib_date": "2026-03-16", "hs_code": "1701.14.00", '
                                     '"volume_tonnes": "600.000"}]'},
        },
        "additionalProperties": {"type": "string", "format": "binary", "description": "pib_file_<i>: the PIB of shipment i"},
    }),
}


def document_operations(result, generator, request, public):
    """drf-spectacular postprocessing hook (after the error responses are added)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in MULTIPART_BODIES.values():
        schemas[name] = schema
    for schema in schemas.values():
        _drop_invalid_defaults(schema)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            _describe(operation, method, path)
            _request_content(operation, schemas)
            _examples(operation, schemas)
            operation["operationId"] = operation["operationId"].replace(".", "_")
    return result


# --- summaries and rule ids -------------------------------------------------------------------
def _describe(operation: dict, method: str, path: str) -> None:
    summary, rules = OPERATIONS.get(operation.get("operationId"), ("", ()))
    if not summary:
        # Left empty on purpose: tests/integrators/test_schema.py names the operation.
        return
    operation["summary"] = summary
    description = (operation.get("description") or "").strip()
    named = set(RULE_ID.findall(description))
    missing = [rule for rule in rules if rule not in named]
    if missing or not description:
        tail = "Rules: " + ", ".join(rules) + "." if rules else ""
        description = f"{description}\n\n{tail}".strip() if description else f"{summary}.\n\n{tail}".strip()
    operation["description"] = description


# --- one documented body type -----------------------------------------------------------------
def _request_content(operation: dict, schemas: dict) -> None:
    if operation.get("operationId") in MULTIPART_BODIES:
        name = MULTIPART_BODIES[operation["operationId"]][0]
        operation["requestBody"] = {"required": True, "content": {MULTIPART: {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
        return
    body = operation.get("requestBody")
    if not body:
        return
    content = body.get("content", {})
    uploads = any(_has_binary(media.get("schema", {}), schemas, set()) for media in content.values())
    keep = MULTIPART if uploads else JSON
    chosen = content.get(keep) or content.get(JSON) or next(iter(content.values()))
    body["content"] = {keep: chosen}


def _has_binary(schema: dict, schemas: dict, seen: set) -> bool:
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _has_binary(schemas.get(name, {}), schemas, seen)
    if schema.get("format") == "binary":
        return True
    children = list((schema.get("properties") or {}).values())
    if isinstance(schema.get("additionalProperties"), dict):
        children.append(schema["additionalProperties"])
    if isinstance(schema.get("items"), dict):
        children.append(schema["items"])
    children += schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", [])
    return any(_has_binary(child, schemas, seen) for child in children)


# --- defaults that break their own constraints ------------------------------------------------
def _drop_invalid_defaults(schema) -> None:
    if isinstance(schema, list):
        for item in schema:
            _drop_invalid_defaults(item)
        return
    if not isinstance(schema, dict):
        return
    if "default" in schema and not _satisfies(schema["default"], schema):
        del schema["default"]
    for value in schema.values():
        if isinstance(value, (dict, list)):
            _drop_invalid_defaults(value)


def _satisfies(value, schema: dict) -> bool:
    if value is None:
        return bool(schema.get("nullable"))
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return False
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
    if isinstance(value, list) and len(value) < schema.get("minItems", 0):
        return False
    return True


# --- examples ---------------------------------------------------------------------------------
def _examples(operation: dict, schemas: dict) -> None:
    body = operation.get("requestBody")
    if body:
        for media_type, media in body.get("content", {}).items():
            if media_type == JSON and "example" not in media and "examples" not in media:
                _set_example(media, schemas)
    for code, response in operation.get("responses", {}).items():
        for media_type, media in (response.get("content") or {}).items():
            if media_type != JSON or "example" in media or "examples" in media:
                continue
            if code in ERROR_EXAMPLES and media.get("schema", {}).get("$ref", "").endswith("/Error"):
                error, message, fields = ERROR_EXAMPLES[code]
                media["example"] = {"error": {"code": error, "message": message, "fields": fields}}
            else:
                _set_example(media, schemas)


def _set_example(media: dict, schemas: dict) -> None:
    try:
        media["example"] = example_for(media.get("schema", {}), schemas)
    except _NoExample:
        pass


def example_for(schema: dict, schemas: dict, name: str = "", depth: int = 0):
    if depth > 8:
        raise _NoExample
    if "$ref" in schema:
        return example_for(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas, name, depth + 1)
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            value = example_for(part, schemas, name, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
            else:
                return value
        return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return example_for(schema[key][0], schemas, name, depth + 1)
    if "enum" in schema:
        values = [v for v in schema["enum"] if v not in (None, "")]
        if values:
            return values[0]
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        out = {}
        for prop, sub in (schema.get("properties") or {}).items():
            out[prop] = example_for(sub, schemas, prop, depth + 1)
        extra = schema.get("additionalProperties")
        if not out and isinstance(extra, dict) and extra:
            out["key"] = example_for(extra, schemas, "", depth + 1)
        return out
    if kind == "array":
        item = example_for(schema.get("items") or {}, schemas, name, depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        value = 1
        if "minimum" in schema:
            value = max(value, schema["minimum"])
        if "maximum" in schema:
            value = min(value, schema["maximum"])
        return int(value) if kind == "integer" else value
    if kind == "string":
        if schema.get("format") == "binary":
            raise _NoExample
        candidates = [_BY_NAME.get(name), _BY_FORMAT.get(schema.get("format", "")), *_GENERIC_STRINGS]
        for candidate in candidates:
            if candidate is not None and _satisfies(candidate, schema):
                return candidate
        raise _NoExample
    if not kind:
        return {}
    raise _NoExample
