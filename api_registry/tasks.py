"""Celery tasks of the API registry. The periodic jobs run through ``inatrade.run_scheduled_job``
(``api_reregistration``, ``quarterly_report_check``, see inatrade/jobs.py); the API document is
signed by the permits app's tasks."""
