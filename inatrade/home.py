"""The home page (Beranda): what needs *me* (issue 17, finding 6).

Each feature app that has something to say on it has a ``home.py`` with
``sections(user) -> list[HomeSection]``; this module only collects and orders them, as
``seed_demo`` collects each app's ``demo.py``. A section reads through the app's selectors
with a fixed number of queries, whatever the number of cases (PERF-02), so the home page's
query count is bounded (tests/inatrade/test_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

HOME_APPS = ["workspace", "sugar_import", "api_registry", "accounts"]


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
    for app in HOME_APPS:
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError:
            continue
        sections += module.sections(user) or []
    return sorted(sections, key=lambda s: s.order)
