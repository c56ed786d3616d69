"""Prometheus metrics for operators (issue 19), at ``/metrics`` behind ``METRICS_TOKEN``.

- Request rate and latency: ``inatrade_http_requests_total`` and
  ``inatrade_http_request_duration_seconds`` by method, route (the URL name, never the raw
  path) and status, counted by ``inatrade.middleware.RequestLogMiddleware``. Under gunicorn
  with several workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder per node) so that a
  scrape sums every worker of the node.
- State read from the database at scrape time, so any node answers for the whole deployment:
  outbox depth and oldest age per outbox (a registry: a feature app adds its own with
  ``register_outbox``, e.g. webhooks), signing backlog, overdue case steps per SLA step, and
  the last success of each periodic job. Feature apps add any other gauge with
  ``register_gauge``.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter("inatrade_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "inatrade_http_request_duration_seconds", "HTTP request latency.", ["method", "route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


@dataclass(frozen=True)
class Outbox:
    name: str
    pending: Callable  # () -> QuerySet of the rows still to deliver
    created_field: str = "created_at"


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    labels: tuple[str, ...]
    samples: Callable[[], Iterable[tuple[tuple[str, ...], float]]]


_OUTBOXES: dict[str, Outbox] = {}
_GAUGES: dict[str, Gauge] = {}


def register_outbox(name: str, pending: Callable, created_field: str = "created_at") -> None:
    """Expose depth and oldest age of an outbox: ``pending()`` returns the undelivered rows."""
    _OUTBOXES[name] = Outbox(name, pending, created_field)


def register_gauge(name: str, help: str, labels: Iterable[str], samples: Callable) -> None:  # noqa: A002
    """Expose a gauge computed at scrape time: ``samples()`` yields (label values, value)."""
    _GAUGES[name] = Gauge(name, help, tuple(labels), samples)


# --- what the shared foundation knows about ---------------------------------------------


def _email_pending():
    from inatrade.models import OutgoingEmail

    return OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING)


# The permits' and the workspace's rows are named by model label, not imported: core depends
# on no feature app (issue 18); a scrape where the app is not installed skips the gauge.
def _insw_pending():
    return apps.get_model("permits", "InswOutboxEvent").objects.filter(state="pending")


def _signing_backlog():
    from django.db.models import Count, Min, Q

    now = timezone.now()
    row = apps.get_model("permits", "PermitVersion").objects.filter(state="awaiting_signature").aggregate(
        n=Count("pk"), failed=Count("pk", filter=~Q(signing_error="")), oldest=Min("created_at"))
    yield ("awaiting",), row["n"]
    yield ("failed",), row["failed"]
    yield ("oldest_age_seconds",), (now - row["oldest"]).total_seconds() if row["oldest"] else 0


def _overdue_steps():
    from django.db.models import Count

    rows = (apps.get_model("workspace", "CaseStep").objects.filter(finished_at__isnull=True, due_date__lt=timezone.localdate())
            .values("step_id").annotate(n=Count("pk")).order_by("step_id"))
    for row in rows:
        yield (row["step_id"],), row["n"]


def _job_last_success():
    from django.db.models import Max

    from inatrade.jobs import JOBS
    from inatrade.models import JobRun

    last = dict(JobRun.objects.filter(ok=True).values("name").annotate(at=Max("finished_at")).values_list("name", "at"))
    for name in JOBS:
        yield (name,), last[name].timestamp() if last.get(name) else 0


register_outbox("email", _email_pending)
register_outbox("insw", _insw_pending)
register_gauge("inatrade_signing_backlog", "Permit versions awaiting signature (awaiting, failed, oldest age).",
               ["kind"], _signing_backlog)
register_gauge("inatrade_overdue_case_steps", "Open case steps past their due date, per SLA step.",
               ["step"], _overdue_steps)
register_gauge("inatrade_job_last_success_timestamp_seconds",
               "Unix time of each periodic job's last successful run (0: never).", ["job"], _job_last_success)


class DatabaseCollector:
    """Reads the registered outboxes and gauges at scrape time; a failing one is skipped."""

    def collect(self):
        from django.db.models import Min

        depth = GaugeMetricFamily("inatrade_outbox_depth", "Rows waiting in an outbox.", labels=["outbox"])
        age = GaugeMetricFamily("inatrade_outbox_oldest_age_seconds", "Age of the oldest waiting row.",
                                labels=["outbox"])
        now = timezone.now()
        for outbox in _OUTBOXES.values():
            try:
                pending = outbox.pending()
                oldest = pending.aggregate(oldest=Min(outbox.created_field))["oldest"]
                depth.add_metric([outbox.name], pending.count())
                age.add_metric([outbox.name], (now - oldest).total_seconds() if oldest else 0)
            except Exception:  # noqa: BLE001 - one broken source must not hide the others
                logger.exception("metrics: outbox %s unavailable", outbox.name)
        yield depth
        yield age
        for gauge in _GAUGES.values():
            family = GaugeMetricFamily(gauge.name, gauge.help, labels=list(gauge.labels))
            try:
                for labels, value in gauge.samples():
                    family.add_metric(list(labels), float(value))
            except Exception:  # noqa: BLE001
                logger.exception("metrics: gauge %s unavailable", gauge.name)
            yield family


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


def token_ok(header: str) -> bool:
    token = settings.METRICS_TOKEN
    if not token or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].encode(), token.encode())
