"""What feature apps tell the core about themselves (issue 18: a new kind of permit by
registering it).

The core (``inatrade``), the workspace and the permits app know no feature app. Each feature
app describes its things here from its ``AppConfig.ready()`` (by importing its
``registration.py``), and the shared machinery reads the registry:

* ``case_kind``       the workspace's work lists, SLA clock and e-mails (``workspace/cases.py``);
* ``officer_scope``   which of a role's steps one officer sees (issuer officers: their issuer);
* ``sla_step``        the SLA steps (SLA-04), written to ``inatrade.SlaStep`` on every
                      ``migrate`` when missing (``ensure_sla_steps``), so a new kind needs no
                      hand-written seed migration; an administrator's later edit is kept;
* ``permit_kind``     the permit letter of a kind (``permits/documents.py``);
* ``job``             the periodic jobs (``inatrade/jobs.py``) and their beat schedule
                      (``inatrade/schedule.py``);
* ``dashboard_series`` / ``dashboard_panel``  the director's dashboard;
* ``demo``            ``manage.py seed_demo``;
* ``walk_values``     the SEC-01 role walk's object ids for the app's URL names (tests);
* audit labels go through ``inatrade.audit_labels.register`` (or ``Machine(labels=...)``).

Everything is a plain dict keyed by name, filled at start-up and read afterwards; registering a
name again replaces its entry (a test registers its own kind and removes it with ``unregister``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


def _put(table: dict, key: str, value) -> None:
    table[key] = value


def unregister(table: dict, key: str) -> None:
    table.pop(key, None)


# --------------------------------------------------------------------------- case kinds


@dataclass(frozen=True)
class CaseInfo:
    """What the workspace copies onto a case's step: its reference, the party, and the
    officer scope (issuer, Kab/Kota) that narrows which issuer officers see it."""

    reference: str
    party_name: str
    party_nib: str
    company_id: int | None
    issuer_id: int | None = None
    regency_id: int | None = None


@dataclass(frozen=True)
class CaseKind:
    code: str  # stored in CaseStep.kind (max 30 characters)
    label: Any  # words for the kind filter (lazy gettext)
    model: str  # "app_label.ModelName" of the case
    info: Callable[[Any], CaseInfo]
    # The page an officer opens: ``url_name`` reversed with the step's ``page_arg`` (the
    # argument, stored on the step so a list needs no query), or ``url`` given that argument.
    page_arg: Callable[[Any], str] = lambda case: str(case.pk)
    url_name: str = ""
    url: Callable[[str], str] | None = None
    steps: tuple[str, ...] = ()  # the SlaStep codes the kind's cases go through

    def page_url(self, page_arg: str) -> str:
        if self.url is not None:
            return self.url(page_arg)
        from django.urls import reverse

        return reverse(self.url_name, args=[page_arg])


CASE_KINDS: dict[str, CaseKind] = {}


def case_kind(**spec) -> CaseKind:
    kind = CaseKind(**spec)
    if len(kind.code) > 30:
        raise ValueError(f"case kind code {kind.code!r} is longer than CaseStep.kind (30)")
    _put(CASE_KINDS, kind.code, kind)
    return kind


def case_kind_choices() -> list[tuple[str, Any]]:
    """The ``choices`` of ``CaseStep.kind`` and of the filters: a callable, so a new kind
    needs no migration (Django stores the callable's path, not the list)."""
    return [(k.code, k.label) for k in CASE_KINDS.values()]


@dataclass(frozen=True)
class OfficerScope:
    """How officers of ``role`` are narrowed to part of their role's steps (an issuer
    officer to the steps of their issuer and Kab/Kota, from ``CaseInfo.issuer_id`` /
    ``regency_id``): ``steps(user) -> Q`` on ``CaseStep`` for the work lists, and
    ``admits(user, step) -> bool`` for one step in memory (the SLA sweep's recipients), reading
    only what ``prefetch`` (related names on the user) loads."""

    role: str
    steps: Callable[[Any], Any]
    admits: Callable[[Any, Any], bool]
    prefetch: tuple[str, ...] = ()


OFFICER_SCOPES: dict[str, OfficerScope] = {}


def officer_scope(**spec) -> OfficerScope:
    scope = OfficerScope(**spec)
    _put(OFFICER_SCOPES, scope.role, scope)
    return scope


# --------------------------------------------------------------------------- SLA steps


@dataclass(frozen=True)
class SlaStep:
    code: str
    name: str
    name_en: str
    working_days: int | None  # None: work without a legal deadline
    source: str  # the legal basis (SLA-04)
    responsible_role: str
    escalation_role: str = ""


SLA_STEPS: dict[str, SlaStep] = {}


def sla_step(**spec) -> SlaStep:
    step = SlaStep(**spec)
    _put(SLA_STEPS, step.code, step)
    return step


def ensure_sla_steps(*, using: str = "default", **_kwargs) -> int:
    """Create the registered SLA steps the database lacks; return how many. Existing rows are
    left as they are: SLA-04 lets an administrator edit a deadline. Runs after every
    ``migrate`` (a ``post_migrate`` receiver)."""
    from inatrade.models import SlaStep as SlaStepRow

    have = set(SlaStepRow.objects.using(using).values_list("code", flat=True))
    missing = [
        SlaStepRow(code=s.code, name=s.name, name_en=s.name_en, working_days=s.working_days, source=s.source,
                   responsible_role=s.responsible_role, escalation_role=s.escalation_role)
        for s in SLA_STEPS.values() if s.code not in have
    ]
    SlaStepRow.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return len(missing)


# --------------------------------------------------------------------------- permit kinds


@dataclass(frozen=True)
class PermitKind:
    """A kind of permit letter (DOC-01). Every content has ``title``, ``holder`` {name,
    address, nib, npwp}, ``holder_documents`` [{label, value}] and ``conditions`` [str];
    ``required`` names the keys this kind adds, ``line_required`` those of each line, and
    ``validate(content) -> [missing keys]`` any rule the keys cannot say (the sugar PI needs
    a recommendation or an assignment). ``content`` builds the content from the issuing
    app's objects; ``number`` formats a new permit number."""

    code: str  # stored in Permit.kind (max 20 characters)
    label: str
    template: str
    required: tuple[str, ...] = ()
    line_required: tuple[str, ...] = ()
    validate: Callable[[dict], list[str]] | None = None
    content: Callable[..., dict] | None = None
    number: Callable[..., str] | None = None


PERMIT_KINDS: dict[str, PermitKind] = {}


def permit_kind(**spec) -> PermitKind:
    kind = PermitKind(**spec)
    if len(kind.code) > 20:
        raise ValueError(f"permit kind code {kind.code!r} is longer than Permit.kind (20)")
    _put(PERMIT_KINDS, kind.code, kind)
    return kind


def permit_kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in PERMIT_KINDS.values()]


# --------------------------------------------------------------------------- periodic jobs


@dataclass(frozen=True)
class Job:
    name: str
    service: str  # dotted path of a function (*, as_of: date) -> dict
    help: str
    # celery.schedules.crontab keyword arguments (Asia/Jakarta), e.g. {"minute": "*/15"}.
    schedule: dict = field(default_factory=dict)
    # How long the run lock outlives a node that died mid-run (inatrade/joblock.py).
    lock_seconds: int = 600

    def __hash__(self):
        return hash(self.name)


JOBS: dict[str, Job] = {}


def job(**spec) -> Job:
    entry = Job(**spec)
    _put(JOBS, entry.name, entry)
    return entry


# --------------------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class DashboardSeries:
    """One series of "permits issued per month": ``monthly(year) -> {first of month: n}``."""

    key: str
    label: Any
    monthly: Callable[[int], dict]
    order: int = 50


@dataclass(frozen=True)
class DashboardPanel:
    """A section of its own on the director's dashboard: ``data(year)`` (a fixed number of
    queries), ``context(data) -> dict`` for ``template`` (rendered with the dashboard's
    context plus ``panel`` and that dict)."""

    key: str
    template: str
    data: Callable[[int], Any]
    context: Callable[[Any], dict] = lambda data: {}
    order: int = 50


DASHBOARD_SERIES: dict[str, DashboardSeries] = {}
DASHBOARD_PANELS: dict[str, DashboardPanel] = {}


def dashboard_series(**spec) -> DashboardSeries:
    series = DashboardSeries(**spec)
    _put(DASHBOARD_SERIES, series.key, series)
    return series


def dashboard_panel(**spec) -> DashboardPanel:
    panel = DashboardPanel(**spec)
    _put(DASHBOARD_PANELS, panel.key, panel)
    return panel


# --------------------------------------------------------------------------- demo data


@dataclass(frozen=True)
class Demo:
    """``seed(stdout) -> [(username, password, label)]``, idempotent; lower ``order`` first
    (accounts' users before the cases that need them)."""

    name: str
    seed: Callable
    order: int = 50


DEMOS: dict[str, Demo] = {}


def demo(**spec) -> Demo:
    entry = Demo(**spec)
    _put(DEMOS, entry.name, entry)
    return entry


def demos() -> list[Demo]:
    return sorted(DEMOS.values(), key=lambda d: d.order)


# --------------------------------------------------------------------------- SEC-01 walk


@dataclass(frozen=True)
class WalkValues:
    """For the SEC-01 walks (tests/security/walk.py, tests/test_access_walk.py): the URL
    parameters of an app's routes. ``values(name, company) -> dict | None`` returns, for a
    URL name of the app, real parameter values pointing at an object that does NOT belong
    to ``company`` (None: not one of mine). ``company`` may be None (any object)."""

    app: str
    values: Callable[[str, Any], "dict | None"]


WALK_VALUES: dict[str, WalkValues] = {}


def walk_values(**spec) -> WalkValues:
    entry = WalkValues(**spec)
    _put(WALK_VALUES, entry.app, entry)
    return entry
