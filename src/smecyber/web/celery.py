"""The Celery app. The same tasks run on the embedded filesystem broker and on Redis/RabbitMQ."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smecyber.web.settings")

app = Celery("smecyber")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["smecyber.scans", "smecyber.assessments"])
app.conf.beat_schedule = {
    # reclaim scans whose worker died; start scheduled scans that are due
    "reap-stale-scans": {"task": "smecyber.scans.tasks.reap_stale_scans", "schedule": 30.0},
    "schedule-due-scans": {"task": "smecyber.scans.tasks.schedule_due_scans", "schedule": 300.0},
}
