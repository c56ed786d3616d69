"""The request id (issue 19): taken from ``X-Request-ID`` (a proxy's) or made here, put on every
log line of the request, returned in the response header, and carried into every Celery task
the request queues (a message header), whose log lines then carry it too."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("inatrade_request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEADER = "request_id"


def get() -> str:
    return _current.get()


def set(value: str):  # noqa: A001
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


def from_header(value: str | None) -> str:
    """The client's id when it is a sane token, else a new one (never trust arbitrary text in logs)."""
    if value and _VALID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = _current.get()
        return True


def connect_celery_signals() -> None:
    """Publish: copy the current id into the message headers. Run: restore it for the task."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _publish(headers=None, **kwargs):
        rid = _current.get()
        if rid and headers is not None and not headers.get(HEADER):
            headers[HEADER] = rid

    @signals.task_prerun.connect(weak=False)
    def _prerun(task=None, **kwargs):
        request = getattr(task, "request", None)
        rid = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
        task._inatrade_rid_token = _current.set(rid or f"task-{uuid.uuid4().hex}")

    @signals.task_postrun.connect(weak=False)
    def _postrun(task=None, **kwargs):
        token = getattr(task, "_inatrade_rid_token", None)
        if token is not None:
            try:
                _current.reset(token)
            except ValueError:
                _current.set("")
