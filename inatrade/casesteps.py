"""The officers' case steps (SLA clock, work list) as the apps that move cases see them.

The steps themselves are the officers' workspace's (``workspace.services``); an app below it
(accounts) starts and finishes steps through this port, which the workspace fills in from its
AppConfig.ready (``register``). Core and accounts thus import no workspace module (issue 18).
Outcomes are the workspace's ``Outcome`` values (``"approved"``, ``"rejected"`` ...).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol


class CaseSteps(Protocol):
    def case_step_start(self, *, case, step: str, started_at: datetime | None = None, assignee=None) -> date | None: ...

    def case_step_finish(self, *, case, outcome: str, at: datetime | None = None, step: str | None = None) -> Any: ...

    def current_step_for(self, case) -> Any: ...


_provider: CaseSteps | None = None

APPROVED = "approved"
REJECTED = "rejected"


def register(provider: CaseSteps) -> None:
    """The workspace gives its implementation (an object or module with the three functions)."""
    global _provider
    _provider = provider


def _steps() -> CaseSteps:
    if _provider is None:
        raise RuntimeError("no case-step provider registered (is the workspace app installed?)")
    return _provider


def step_start(*, case, step: str, started_at: datetime | None = None, assignee=None) -> date | None:
    """Open ``step`` of ``case`` (closing the open one); returns its due date (None: no SLA)."""
    return _steps().case_step_start(case=case, step=step, started_at=started_at, assignee=assignee)


def step_finish(*, case, outcome: str, at: datetime | None = None, step: str | None = None):
    """Close the open step of ``case`` with ``outcome``."""
    return _steps().case_step_finish(case=case, outcome=outcome, at=at, step=step)


def current_step(case):
    """AUD-02: the open step of ``case`` (None once decided, or without a provider)."""
    return _provider.current_step_for(case) if _provider is not None else None
