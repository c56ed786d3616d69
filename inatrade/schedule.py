"""The beat schedule: every registered periodic job (api.md, "Scheduled jobs").

Each entry runs ``inatrade.tasks.run_scheduled_job`` with a job name from the registry
(``inatrade.registry.job``, see inatrade/jobs.py), the same code path as
``python manage.py run_job <name>``. Times are Asia/Jakarta.

The settings module reads ``BEAT_SCHEDULE`` before the apps have registered their jobs, so it
is a dict that fills itself from the registry on first use (Celery beat reads it after
``django.setup()``).
"""

from __future__ import annotations

from celery.schedules import crontab


def build_schedule() -> dict:
    from inatrade import jobs  # noqa: F401  (registers the core's own jobs)
    from inatrade.registry import JOBS

    return {
        job.name: {"task": "inatrade.run_scheduled_job", "schedule": crontab(**job.schedule), "args": [job.name]}
        for job in JOBS.values() if job.schedule
    }


class _RegistrySchedule(dict):
    """A dict of the registered jobs' beat entries, built when first read after the apps are
    ready (before that, it reads as empty and stays unfilled)."""

    def _fill(self):
        if not dict.__len__(self):
            from django.apps import apps

            if apps.ready:
                dict.update(self, build_schedule())

    def __iter__(self):
        self._fill()
        return dict.__iter__(self)

    def __len__(self):
        self._fill()
        return dict.__len__(self)

    def __getitem__(self, key):
        self._fill()
        return dict.__getitem__(self, key)

    def __contains__(self, key):
        self._fill()
        return dict.__contains__(self, key)

    def get(self, key, default=None):
        self._fill()
        return dict.get(self, key, default)

    def keys(self):
        self._fill()
        return dict.keys(self)

    def values(self):
        self._fill()
        return dict.values(self)

    def items(self):
        self._fill()
        return dict.items(self)

    def copy(self):
        self._fill()
        return dict(self.items())

    def __bool__(self):
        return bool(len(self))


BEAT_SCHEDULE = _RegistrySchedule()
