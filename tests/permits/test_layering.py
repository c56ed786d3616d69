"""Issue 18: permits depends only on the core (and the accounts models a permit names); its
services queue the signing task by name through ``inatrade.queue`` and never import a tasks
module; the permit kinds are registered by the apps that issue them."""

import ast
from pathlib import Path

import permits

PERMITS = Path(permits.__file__).resolve().parent
FEATURE_APPS = ("sugar_import", "api_registry", "workspace", "webhooks")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_permits_imports_no_feature_app_and_its_services_no_tasks_module():
    offenders = []
    for path in PERMITS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name in _imports(path):
            if name.split(".")[0] in FEATURE_APPS:
                offenders.append(f"{path.relative_to(PERMITS)}: {name}")
            if "services" in path.parts and (name == "permits.tasks" or name.startswith("permits.tasks.")):
                offenders.append(f"{path.relative_to(PERMITS)}: {name}")
    assert not offenders, offenders


def test_the_signing_task_is_queued_by_its_name():
    from inatrade.queue import task_named
    from permits.services.issue import SIGN_TASK
    from permits.tasks import sign_permit_version

    assert task_named(SIGN_TASK).name == sign_permit_version.name == SIGN_TASK


def test_permits_knows_no_kind_of_its_own_the_issuing_apps_register_them():
    from permits.documents import KINDS

    source = (PERMITS / "documents.py").read_text()
    assert "sugar_pi" not in source and "api_u" not in source
    assert {"sugar_pi", "api_u", "api_p"} <= set(KINDS)
