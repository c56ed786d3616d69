"""The direction of dependencies between the project's apps (issue 18).

Every ``.py`` of each first-party app (migrations and tests excepted) is parsed with ``ast``;
every import, at module level or inside a function, is a dependency of the importing module.
A reference by string (``settings.AUTH_USER_MODEL``, ``"accounts.Company"`` in a ForeignKey,
``apps.get_model``, a Celery task queued by name through ``inatrade.queue``) is not an import.

The tests assert:

(a) no import cycle between apps (the failure names the cycle and the imports that make it);
(b) no cycle between an app's ``services`` (module or package) and its ``tasks`` module, and
    no module but a tasks module imports a tasks module at all (services and the rest queue
    tasks by name through ``inatrade.queue.queue_task``);
(c) every app imports only the apps the declared layering (``ALLOWED``) lets it.

``python -m tests.test_architecture`` prints the actual app graph (each edge with one
importing module as the example), to compare before and after a change.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The intended layering, lowest first: an app may import itself and the apps listed here.
ALLOWED: dict[str, set[str]] = {
    "inatrade": set(),  # core: depends on no app (it reaches users through AUTH_USER_MODEL / registries)
    "reference": {"inatrade"},  # reference tables (regions)
    "accounts": {"inatrade", "reference"},
    "permits": {"inatrade", "reference", "accounts"},  # accounts: the company/user models a permit names
    "workspace": {"inatrade", "reference", "accounts"},
    "api_registry": {"inatrade", "reference", "accounts", "permits", "workspace"},
    "sugar_import": {"inatrade", "reference", "accounts", "permits", "workspace", "api_registry"},
    "webhooks": {"inatrade", "reference", "accounts", "permits", "workspace", "api_registry", "sugar_import"},
}
APPS = [app for app in ALLOWED if (ROOT / app / "__init__.py").exists()]
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            continue
        yield path


def _imported_names(tree: ast.AST, module: str, is_package: bool):
    """Every module name imported anywhere in ``tree`` (relative imports resolved), with the
    ``from X import y`` form giving both ``X`` and ``X.y`` (y may be a submodule)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            yield base, node.lineno
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}", node.lineno


def module_graph() -> dict[str, dict[str, str]]:
    """``{module: {imported first-party module: "path:line"}}`` for every first-party module."""
    files = {_module_name(path): path for app in APPS for path in _source_files(app)}
    graph: dict[str, dict[str, str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, str] = {}
        for name, line in _imported_names(tree, module, path.name == "__init__.py"):
            if name.split(".")[0] not in APPS:
                continue
            while name and name not in files:  # ``from pkg import function`` → pkg
                name = name.rpartition(".")[0]
            if name and name != module:
                edges.setdefault(name, f"{path.relative_to(ROOT)}:{line}")
        graph[module] = edges
    return graph


def app_graph(graph: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """``{app: {imported app: "path:line" of one import that makes the edge}}``."""
    graph = module_graph() if graph is None else graph
    apps: dict[str, dict[str, str]] = defaultdict(dict)
    for module, edges in sorted(graph.items()):
        source = module.split(".")[0]
        apps[source]  # every app appears, even with no edge
        for target, where in sorted(edges.items()):
            app = target.split(".")[0]
            if app != source:
                apps[source].setdefault(app, where)
    return dict(apps)


def find_cycles(graph: dict[str, set[str] | dict]) -> list[list[str]]:
    """The strongly connected components of more than one node, each as one cycle path
    (``[a, b, ..., a]``)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    cycles: list[list[str]] = []

    def add(cycle):
        body = cycle[:-1]
        turn = body.index(min(body))
        cycle = [*body[turn:], *body[:turn], body[turn]]  # start at its smallest node
        if cycle not in cycles:
            cycles.append(cycle)

    for component in components:
        for a in component:  # every pair of apps importing each other
            for b in component:
                if a < b and b in graph.get(a, ()) and a in graph.get(b, ()):
                    add([a, b, a])
        for start in component:  # and the shortest cycle through each member
            add(_cycle_in(graph, set(component), start))
    return cycles


def _cycle_in(graph, members: set[str], start: str) -> list[str]:
    """The shortest cycle through ``start`` inside its strongly connected component."""
    parents = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, ())):
            if succ == start:
                path = [node]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if succ in members and succ not in parents:
                parents[succ] = node
                queue.append(succ)
    return sorted(members)


def _describe(cycle: list[str], edges: dict[str, dict[str, str]]) -> str:
    steps = [f"{a} -> {b} ({edges.get(a, {}).get(b, '?')})" for a, b in zip(cycle, cycle[1:])]
    return " => ".join(cycle) + "\n    " + "\n    ".join(steps)


# ---------------------------------------------------------------------------------- tests
def test_no_import_cycle_between_apps():
    apps = app_graph()
    cycles = find_cycles(apps)
    assert not cycles, "import cycles between apps:\n" + "\n".join(_describe(c, apps) for c in cycles)


def _group(module: str, app: str) -> str | None:
    for part in ("services", "tasks"):
        prefix = f"{app}.{part}"
        if module == prefix or module.startswith(prefix + "."):
            return part
    return None


def test_no_cycle_between_an_apps_services_and_its_tasks():
    graph = module_graph()
    problems = []
    for app in APPS:
        modules = {m for m in graph if m.split(".")[0] == app}
        # Collapse the app's services (package) and tasks into one node each; keep the rest.
        def node(m):
            return _group(m, app) and f"{app}.{_group(m, app)}" or m

        collapsed: dict[str, dict[str, str]] = defaultdict(dict)
        for module in modules:
            for target, where in graph[module].items():
                if target.split(".")[0] == app and node(target) != node(module):
                    collapsed[node(module)].setdefault(node(target), where)
        for cycle in find_cycles(collapsed):
            if f"{app}.services" in cycle and f"{app}.tasks" in cycle:
                problems.append(_describe(cycle, collapsed))
    assert not problems, "services and tasks import each other:\n" + "\n".join(problems)


def test_tasks_are_queued_by_name_and_no_module_imports_a_tasks_module():
    """Tasks call services; services (and anything else) queue tasks by name through
    ``inatrade.queue.queue_task``, so no cycle can run through a tasks module."""
    graph = module_graph()
    offenders = [
        f"{module} imports {target} ({where})"
        for module, edges in sorted(graph.items())
        if _group(module, module.split(".")[0]) != "tasks"
        for target, where in sorted(edges.items())
        if _group(target, target.split(".")[0]) == "tasks"
    ]
    assert not offenders, "modules import tasks (queue them by name through inatrade.queue):\n" + "\n".join(offenders)


def test_apps_import_only_the_layers_below_them():
    apps = app_graph()
    offenders = [
        f"{source} -> {target} ({where})"
        for source, edges in sorted(apps.items())
        for target, where in sorted(edges.items())
        if target not in ALLOWED[source]
    ]
    assert not offenders, "imports against the declared layering (ALLOWED):\n" + "\n".join(offenders)


def test_the_graph_builder_sees_function_level_and_relative_imports():
    tree = ast.parse("from .models import X\ndef f():\n    from accounts.models import Role\n    import permits.models\n")
    names = {name for name, _line in _imported_names(tree, "inatrade.audit", is_package=False)}
    assert {"inatrade.models", "accounts.models", "accounts.models.Role", "permits.models"} <= names
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}) == [["a", "b", "a"], ["a", "c", "a"]]


def edge_sites(graph: dict[str, dict[str, str]] | None = None) -> dict[tuple[str, str], list[str]]:
    """Every importing module of each app edge: ``{(app, imported app): ["module (path:line)"]}``."""
    graph = module_graph() if graph is None else graph
    sites: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, edges in sorted(graph.items()):
        for target, where in sorted(edges.items()):
            if module.split(".")[0] != target.split(".")[0]:
                sites[(module.split(".")[0], target.split(".")[0])].append(f"{target} ({where})")
    return dict(sites)


def render(apps: dict[str, dict[str, str]] | None = None, *, verbose: bool = False) -> str:
    """The app dependency graph, one line per edge: ``app -> dep (example import)``; with
    ``verbose`` every import that makes an edge against the layering is listed."""
    apps = app_graph() if apps is None else apps
    sites = edge_sites() if verbose else {}
    lines = []
    for source in APPS:
        edges = apps.get(source, {})
        marks = []
        for t in sorted(edges):
            allowed = t in ALLOWED[source]
            marks.append(f"{t}{'' if allowed else ' [NOT ALLOWED]'}  ({edges[t]})")
            if verbose and not allowed:
                marks.extend(f"    {site}" for site in sites.get((source, t), []))
        lines.append(f"{source} -> " + ("(nothing)" if not marks else "\n    " + "\n    ".join(marks)))
    cycles = find_cycles(apps)
    lines.append("cycles: " + ("none" if not cycles else "; ".join(" -> ".join(c) for c in cycles)))
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(verbose="-v" in sys.argv))
