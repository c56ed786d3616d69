"""What the workspace needs to know of each kind of case: its reference, the party, the
issuer office that handles it, and the page an officer opens. Each feature app registers its
kinds with ``inatrade.registry.case_kind`` (issue 18); the workspace imports none of them."""

from __future__ import annotations

from django.db import models

from inatrade.registry import CASE_KINDS, CaseInfo, CaseKind

__all__ = ["CaseInfo", "Kind", "kind_of", "kind_by_code", "step_url"]

Kind = CaseKind


def kind_of(case: models.Model) -> CaseKind:
    label = case._meta.label
    for kind in CASE_KINDS.values():
        if kind.model == label:
            return kind
    raise LookupError(f"no case kind is registered for {label} (inatrade.registry.case_kind)")


def kind_by_code(code: str) -> CaseKind:
    return CASE_KINDS[code]


def step_url(step) -> str:
    """The page an officer opens for a step (no query)."""
    return CASE_KINDS[step.kind].page_url(step.page_arg)
