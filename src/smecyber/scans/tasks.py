"""Celery tasks. Each takes plain ids, reads everything else from the database, and is safe to run twice.

Workers may be prefork processes on PostgreSQL or SQLite: no state is shared between tasks (nothing at
module level is written), and each task starts and ends by dropping database connections that are broken
or past their age, so a forked process never reuses its parent's connection or a dead one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from uuid import UUID

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from smecyber.assets.models import Domain

from .models import BatchEntry, Scan, ScanStatus

log = logging.getLogger(__name__)

# A scan still waiting this long after its message was sent probably lost the message: send it again.
LOST_MESSAGE_AFTER = dt.timedelta(minutes=10)
SCHEDULE_BATCH = 500  # domains started per schedule_due_scans run (the next run takes the rest)


def _drop_stale_connections() -> None:
    """Close connections that are broken or too old, except inside a transaction (an eager task in a test)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def dispatch_scan(scan_id: UUID | str) -> None:
    """Send run_scan once the current transaction commits (a worker must find the committed row)."""
    key = str(scan_id)
    transaction.on_commit(lambda: run_scan.delay(key))


def dispatch_sweep(batch_id: UUID | str, entry_ids: list[int]) -> None:
    key, ids = str(batch_id), [int(i) for i in entry_ids]
    transaction.on_commit(lambda: sweep_chunk.delay(key, ids))


@shared_task(name="smecyber.scans.tasks.run_scan")
def run_scan(scan_id: str) -> str:
    from .runner import run_scan_now

    _drop_stale_connections()
    try:
        return run_scan_now(scan_id)
    finally:
        _drop_stale_connections()


@shared_task(name="smecyber.scans.tasks.sweep_chunk")
def sweep_chunk(batch_id: str, entry_ids: list[int]) -> dict[str, int]:
    from .sweep import run_chunk

    _drop_stale_connections()
    try:
        return run_chunk(batch_id, [int(i) for i in entry_ids])
    finally:
        _drop_stale_connections()


@shared_task(name="smecyber.scans.tasks.send_scan_alerts")
def send_scan_alerts(scan_id: str) -> int:
    from .alerts import send_alerts

    _drop_stale_connections()
    scan = Scan.objects.select_related("domain").filter(pk=scan_id).first()
    if scan is None:
        return 0
    return send_alerts(scan)


@shared_task(name="smecyber.scans.tasks.reap_stale_scans")
def reap_stale_scans() -> dict[str, int]:
    """Re-queue (or fail, after SCAN_MAX_ATTEMPTS) work whose worker stopped renewing its lease; re-send
    messages that seem lost."""
    _drop_stale_connections()
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    now = timezone.now()
    _reap_scans(now, counts)
    _reap_entries(now, counts)
    _resend_lost(now, counts)
    return counts


def _reap_scans(now: dt.datetime, counts: dict[str, int]) -> None:
    # Running with an expired lease (its worker died), or queued with every attempt used (cannot be claimed).
    stale = Q(status=ScanStatus.RUNNING, lease_until__lt=now) | Q(
        status=ScanStatus.QUEUED, attempts__gte=settings.SCAN_MAX_ATTEMPTS)
    for scan_id in Scan.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            scan = Scan.objects.select_for_update().filter(pk=scan_id).filter(stale).first()
            if scan is None:  # a worker renewed or finished it meanwhile
                continue
            scan.lease_until = None
            if scan.attempts >= settings.SCAN_MAX_ATTEMPTS:
                scan.status = ScanStatus.FAILED
                scan.error = f"the worker stopped while scanning (tried {scan.attempts} times)"
                scan.finished_at = now
                scan.save(update_fields=["status", "error", "finished_at", "lease_until"])
                counts["failed"] += 1
            else:
                scan.status = ScanStatus.QUEUED
                scan.dispatched_at = now
                scan.save(update_fields=["status", "lease_until", "dispatched_at"])
                dispatch_scan(scan.pk)
                counts["requeued"] += 1


def _reap_entries(now: dt.datetime, counts: dict[str, int]) -> None:
    from .sweep import mark_batch_finished

    stale = Q(status=ScanStatus.RUNNING, lease_until__lt=now) | Q(
        status=ScanStatus.QUEUED, attempts__gte=settings.SCAN_MAX_ATTEMPTS)
    retry: dict[str, list[int]] = defaultdict(list)
    touched: set[str] = set()
    with transaction.atomic():
        for entry in BatchEntry.objects.select_for_update().filter(stale):
            entry.lease_until = None
            touched.add(str(entry.batch_id))
            if entry.attempts >= settings.SCAN_MAX_ATTEMPTS:
                entry.status = ScanStatus.FAILED
                entry.error = f"the worker stopped while scanning (tried {entry.attempts} times)"
                entry.finished_at = now
                counts["failed"] += 1
            else:
                entry.status = ScanStatus.QUEUED
                entry.dispatched_at = now
                retry[str(entry.batch_id)].append(entry.pk)
                counts["requeued"] += 1
            entry.save(update_fields=["status", "error", "finished_at", "lease_until", "dispatched_at"])
        for batch_id, ids in retry.items():
            _dispatch_in_chunks(batch_id, ids)
    for batch_id in touched:
        mark_batch_finished(batch_id)


def _resend_lost(now: dt.datetime, counts: dict[str, int]) -> None:
    cutoff = now - LOST_MESSAGE_AFTER
    lost_scans = (Scan.objects.filter(status=ScanStatus.QUEUED, attempts__lt=settings.SCAN_MAX_ATTEMPTS)
                  .annotate(sent=Coalesce("dispatched_at", "created_at")).filter(sent__lt=cutoff))
    for scan_id in lost_scans.values_list("pk", flat=True):
        # Conditional: two reapers running at once re-send each scan once.
        if Scan.objects.filter(pk=scan_id, status=ScanStatus.QUEUED).annotate(
                sent=Coalesce("dispatched_at", "created_at")).filter(sent__lt=cutoff).update(dispatched_at=now):
            run_scan.delay(str(scan_id))
            counts["resent"] += 1
    # A long batch legitimately waits in the broker for hours; re-send its entries only when the batch
    # stalled (nothing of it running and nothing finished lately), so a busy queue is not doubled.
    waiting = (BatchEntry.objects.filter(status=ScanStatus.QUEUED, attempts__lt=settings.SCAN_MAX_ATTEMPTS)
               .filter(Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True)))
    for batch_id in set(waiting.values_list("batch_id", flat=True)):
        active = BatchEntry.objects.filter(batch_id=batch_id).filter(
            Q(status=ScanStatus.RUNNING) | Q(finished_at__gte=cutoff)).exists()
        if active:
            continue
        ids = list(waiting.filter(batch_id=batch_id).order_by("pk").values_list("pk", flat=True))
        BatchEntry.objects.filter(pk__in=ids).update(dispatched_at=now)
        with transaction.atomic():
            _dispatch_in_chunks(str(batch_id), ids)
        counts["resent"] += len(ids)


def _dispatch_in_chunks(batch_id: str, ids: list[int]) -> None:
    size = max(1, settings.SWEEP_CHUNK)
    ids = sorted(ids)
    for i in range(0, len(ids), size):
        dispatch_sweep(batch_id, ids[i:i + size])


@shared_task(name="smecyber.scans.tasks.schedule_due_scans")
def schedule_due_scans() -> int:
    """Start the scans of domains whose weekly or monthly scan is due, and set their next date."""
    from smecyber.assets.services import next_scan_after

    from .services import request_scan

    _drop_stale_connections()
    now = timezone.now()
    due = Q(schedule__in=[Domain.Schedule.WEEKLY, Domain.Schedule.MONTHLY], next_scan_at__lte=now)
    started = 0
    for domain_id in Domain.objects.filter(due).order_by("next_scan_at").values_list("pk", flat=True)[
            :SCHEDULE_BATCH]:
        with transaction.atomic():
            domain = Domain.objects.select_for_update().filter(pk=domain_id).filter(due).first()
            if domain is None:  # another scheduler run took it
                continue
            request_scan(domain, user=None, trigger=Scan.Trigger.SCHEDULED)
            domain.next_scan_at = next_scan_after(now, domain.schedule)
            domain.save(update_fields=["next_scan_at"])
            started += 1
    return started
