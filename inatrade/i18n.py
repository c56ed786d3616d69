"""Reference data in both languages (style.md habit 10: reference data is data). A table
that users read keeps its Indonesian ``name`` (the source language, as in the regulations)
and an English ``name_en``; pages show the one of the active language."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(indonesian: str, english: str | None) -> str:
    """``english`` when the active language is English and there is one, else ``indonesian``."""
    return english if english and (get_language() or "").startswith("en") else indonesian


class BilingualName:
    """Mixin of models with ``name`` and ``name_en``: ``label`` is the name to show."""

    @property
    def label(self) -> str:
        return in_language(self.name, getattr(self, "name_en", ""))
