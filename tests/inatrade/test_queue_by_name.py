"""Services queue Celery tasks by name (issue 18). The first lookup in a fresh web process
imports the apps' tasks modules; under gunicorn's threads several approvals reach it at
once, and an unserialised lookup answered NotRegistered after the approval had committed
(a 500 for a saved approval, seen in tests/stack/test_http_races.py)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from inatrade import queue

ROOT = Path(__file__).resolve().parents[2]

RACE = """
import os, threading
import django
django.setup()
from inatrade.queue import task_named
names = ["permits.sign_permit_version", "inatrade.deliver_email", "accounts.render_bap_pdf", "webhooks.deliver"] * 4
barrier = threading.Barrier(len(names))
errors = []
def look_up(name):
    barrier.wait()
    try:
        assert task_named(name).name == name
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=look_up, args=(name,)) for name in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(errors), errors[:2])
"""


def test_sixteen_threads_of_a_fresh_process_all_find_their_tasks__REL_01():
    for _attempt in range(3):  # the unserialised lookup failed 5 to 15 of 16 threads every time
        run = subprocess.run([sys.executable, "-c", RACE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "DJANGO_SETTINGS_MODULE": "inatrade.settings"})
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip().splitlines()[-1] == "0 []", run.stdout[-2000:]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_a_task_that_cannot_be_found_after_commit_leaves_the_row_to_the_sweep_instead_of_raising():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    queue.logger.addHandler(handler)
    try:
        assert queue.publish_named("nowhere.no_such_task", 1) is False
    finally:
        queue.logger.removeHandler(handler)
    assert ["waits in the outbox for the sweep" in r.getMessage() for r in records] == [True]
