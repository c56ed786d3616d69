"""The reference app (issue 18): the Kemendagri regions read by several apps, in an app that
depends on no feature app, on the tables api_registry created (no data moved)."""

import ast
from pathlib import Path

import pytest

from reference.models import Province, Regency
from reference.selectors import regency_choices, regency_for_code, regency_list

ROOT = Path(__file__).resolve().parents[2]
FEATURE_APPS = ("accounts", "permits", "api_registry", "sugar_import", "workspace", "webhooks")


def _imported_modules(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_reference_imports_no_feature_app():
    imported = _imported_modules(ROOT / "reference")
    assert not [name for name in imported if name.split(".")[0] in FEATURE_APPS]


def test_accounts_reads_the_regions_without_importing_api_registry():
    imported = _imported_modules(ROOT / "accounts")
    assert not [name for name in imported if name.split(".")[0] == "api_registry"]


def test_the_regions_keep_the_tables_api_registry_created():
    assert (Province._meta.db_table, Regency._meta.db_table) == ("api_registry_province", "api_registry_regency")


@pytest.mark.django_db
def test_the_seeded_regions_are_read_through_reference__API_03():
    regency = regency_for_code(code="3171")
    assert regency.name == "Kota Administrasi Jakarta Pusat" and regency.province.code == "31"
    assert regency_for_code(code="31") is None and regency_for_code(code="9999") is None
    assert Regency.objects.count() == 514
    groups = dict(regency_choices())
    assert ("3171", "Kota Administrasi Jakarta Pusat (3171)") in groups["Daerah Khusus Ibukota Jakarta"]
    assert [r.code for r in regency_list(province="31", search="Pusat")] == ["3171"]
