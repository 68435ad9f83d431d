"""Running one scan on a worker, safely under retries, duplicate deliveries and dying workers.

1. Claim: one conditional UPDATE moves the scan queued → running (or takes over a running scan whose lease
   expired) and counts the attempt. A delivery that cannot claim does nothing.
2. Run: the engine works in its own thread; this thread renews ``lease_until`` and writes progress about
   every second. A worker that dies stops renewing, and the reaper (tasks.reap_stale_scans) re-queues.
3. Finish: ONE transaction re-reads the scan FOR UPDATE and writes findings and grades only if the scan is
   still this attempt's (running, same attempt number). A stale attempt's results are thrown away, so a
   scan never gets two result sets.
4. Crash: the engine failed. Back to the queue for another attempt, or failed with a reason after
   SCAN_MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from smecyber.checks.engine import selected_check_count
from smecyber.checks.errors import ScanInputError
from smecyber.checks.model import DomainResult

from .engine_thread import EngineThread, run_watched
from .facts import facts_from_findings
from .models import Scan, ScanFinding, ScanStatus
from .services import scan_config

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def lease_end() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=settings.SCAN_LEASE_SECONDS)


def claim_scan(scan_id: object) -> int | None:
    """Take the scan for this worker; the attempt number, or None when it is not ours to run."""
    now = timezone.now()
    claimable = Q(status=ScanStatus.QUEUED) | Q(status=ScanStatus.RUNNING, lease_until__lt=now)
    updated = (Scan.objects.filter(pk=scan_id).filter(claimable)
               .filter(attempts__lt=settings.SCAN_MAX_ATTEMPTS)
               .update(status=ScanStatus.RUNNING, attempts=F("attempts") + 1, lease_until=lease_end(),
                       started_at=now, worker=worker_name(), checks_done=0, error=""))
    if not updated:
        return None
    return Scan.objects.filter(pk=scan_id).values_list("attempts", flat=True).first()


def engine_failure(error: BaseException | None) -> str:
    """Why an attempt failed, for Scan.error (the traceback goes to the worker's log, not to the user)."""
    if error is None:
        return "the scanner returned no result"
    return f"the scanner stopped with an error ({type(error).__name__})"


def renew(scan_id: object, attempt: int, checks_done: int, checks_total: int | None = None) -> bool:
    """Extend this attempt's lease and publish progress; False when the scan is no longer this attempt's."""
    values: dict[str, object] = {"lease_until": lease_end(), "checks_done": checks_done}
    if checks_total is not None:
        values["checks_total"] = checks_total
    return bool(Scan.objects.filter(pk=scan_id, status=ScanStatus.RUNNING, attempts=attempt).update(**values))


def run_scan_now(scan_id: object) -> str:
    """Claim, run and finish one scan. Returns what happened (for logs and tests)."""
    attempt = claim_scan(scan_id)
    if attempt is None:
        return "not claimed"
    scan = Scan.objects.select_related("domain").get(pk=scan_id)
    try:
        config = scan_config([scan.domain.name], depth=scan.depth)
    except ScanInputError as exc:
        return give_up_or_retry(scan_id, attempt, f"the scanner is not configured correctly: {exc}")
    total = selected_check_count(config)
    if not renew(scan_id, attempt, 0, total):
        return "lost"
    engine = EngineThread(config)

    def tick() -> bool:
        try:
            return renew(scan_id, attempt, min(engine.checks_done, total))
        except DatabaseError:  # a busy or briefly unreachable database: keep scanning, renew next second
            log.warning("scan %s: could not renew the lease", scan_id, exc_info=True)
            return True

    outcome = run_watched(engine, tick)
    if outcome == "lost":
        return "lost"
    if outcome == "timeout":
        return give_up_or_retry(scan_id, attempt, "the scan took too long and was stopped")
    if engine.error is not None or not engine.results:
        log.warning("scan %s attempt %s: engine failed", scan_id, attempt, exc_info=engine.error)
        return give_up_or_retry(scan_id, attempt, engine_failure(engine.error))
    return "done" if finish_scan(scan_id, attempt, engine.results[0]) else "discarded"


def finish_scan(scan_id: object, attempt: int, result: DomainResult) -> bool:
    """Store ``result`` if the scan is still this attempt's; False (nothing written) otherwise."""
    from smecyber.assessments.tasks import refresh_action_plan

    from .tasks import send_scan_alerts

    with transaction.atomic():
        scan = Scan.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None or scan.status != ScanStatus.RUNNING or scan.attempts != attempt:
            return False
        ScanFinding.objects.bulk_create([
            ScanFinding(scan=scan, check_id=f.check, key=f.key, status=str(f.status), severity=str(f.severity),
                        subject=(f.subject or "")[:255], evidence=f.evidence, points=f.points,
                        score_group=f.score_group or "")
            for f in result.findings
        ], batch_size=500)
        scan.status = ScanStatus.DONE
        scan.grades = {k: g.to_dict() for k, g in result.grades.items()}
        scan.facts = facts_from_findings(result.findings)
        scan.duration_s = round(result.duration_s, 3)
        scan.finished_at = timezone.now()
        scan.lease_until = None
        scan.checks_done = scan.checks_total
        scan.error = ""
        scan.save(update_fields=["status", "grades", "facts", "duration_s", "finished_at", "lease_until",
                                 "checks_done", "error"])
        scan_key = str(scan.pk)
        company_key = str(scan.domain.company_id)
        transaction.on_commit(lambda: send_scan_alerts.delay(scan_key))
        # The action plan is recomputed by a task of its own, after commit: none of it in this transaction.
        transaction.on_commit(lambda: refresh_action_plan.delay(company_key, scan_key))
    return True


def give_up_or_retry(scan_id: object, attempt: int, reason: str) -> str:
    """After a failed attempt: queue the scan again, or mark it failed once SCAN_MAX_ATTEMPTS are used."""
    from .tasks import dispatch_scan

    with transaction.atomic():
        scan = Scan.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None or scan.status != ScanStatus.RUNNING or scan.attempts != attempt:
            return "discarded"
        scan.lease_until = None
        if scan.attempts >= settings.SCAN_MAX_ATTEMPTS:
            scan.status = ScanStatus.FAILED
            scan.error = f"{reason} (tried {scan.attempts} times)"
            scan.finished_at = timezone.now()
            scan.save(update_fields=["status", "error", "finished_at", "lease_until"])
            return "failed"
        scan.status = ScanStatus.QUEUED
        scan.error = reason
        scan.dispatched_at = timezone.now()
        scan.save(update_fields=["status", "error", "lease_until", "dispatched_at"])
        dispatch_scan(scan.pk)
        return "requeued"
