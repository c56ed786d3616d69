"""The home page (Beranda): what needs *me* (issue 17, finding 6).

Each installed app that has something to say on it has a ``home.py`` with
``sections(user) -> list[HomeSection]``; this module only collects them from the installed
apps (it names none) and orders them. A section reads through the app's selectors
with a fixed number of queries, whatever the number of cases (PERF-02), so the home page's
query count is bounded (tests/inatrade/test_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module



@dataclass
class HomeItem:
    text: str
    url: str = ""
    hint: str = ""
    tone: str = ""  # "", "warn" or "bad": shown by a word badge as well as colour


@dataclass
class HomeSection:
    key: str
    title: str
    count: int | None = None  # the tile's figure; None: no tile
    items: list[HomeItem] = field(default_factory=list)
    empty: str = ""  # said when there is nothing
    more_url: str = ""
    more_label: str = ""
    tone: str = ""
    order: int = 50


def home_sections(*, user) -> list[HomeSection]:
    sections: list[HomeSection] = []
    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        if module.__name__ != __name__:
            sections += module.sections(user) or []
    return sorted(sections, key=lambda s: s.order)
