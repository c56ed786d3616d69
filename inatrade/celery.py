"""The Celery application. Tasks take ids and call a service; see inatrade/jobs.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inatrade.settings")

app = Celery("inatrade")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
