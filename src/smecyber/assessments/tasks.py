"""Celery tasks of the assessments app. Like scans/tasks.py: plain ids in, everything read from the database,
safe to run twice (a refresh recomputes the same plan from the same stored data)."""

from __future__ import annotations

import logging

from celery import shared_task

from smecyber.accounts.models import Company
from smecyber.scans.models import Scan, ScanStatus
from smecyber.scans.tasks import _drop_stale_connections

log = logging.getLogger(__name__)


@shared_task(name="smecyber.assessments.tasks.refresh_action_plan")
def refresh_action_plan(company_id: str, scan_id: str | None = None) -> bool:
    """Recompute the SME's action plan after ``scan_id`` finished (it confirms or reopens done items).

    False (nothing done) when the company or the scan is gone, or the scan is not a finished scan of one of
    the company's domains: a late message about deleted data is not an error.
    """
    from .plan_service import refresh_plan

    _drop_stale_connections()
    try:
        company = Company.objects.filter(pk=company_id).first()
        if company is None:
            return False
        scan = None
        if scan_id is not None:
            scan = (Scan.objects.select_related("domain")
                    .filter(pk=scan_id, domain__company=company, status=ScanStatus.DONE).first())
            if scan is None:
                return False
        refresh_plan(company, scan=scan)
        return True
    finally:
        _drop_stale_connections()
