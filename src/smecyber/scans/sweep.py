"""Running one chunk of a batch sweep: its entries scanned together (sweep depth, concurrency = chunk size).

The same lease rules as one scan (runner.py), per entry: each entry is claimed with a conditional UPDATE,
its lease renewed while the engine works, and its result stored only while it is still this attempt's.
A batch keeps grades and facts only — no findings — because it feeds aggregate views, never a named list.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from smecyber.checks.errors import ScanInputError
from smecyber.checks.model import DomainResult

from .engine_thread import EngineThread, run_watched
from .facts import facts_from_findings
from .models import Batch, BatchEntry, ScanStatus
from .runner import engine_failure, lease_end
from .services import scan_config

log = logging.getLogger(__name__)


def claim_entry(entry_id: int) -> int | None:
    now = timezone.now()
    claimable = Q(status=ScanStatus.QUEUED) | Q(status=ScanStatus.RUNNING, lease_until__lt=now)
    updated = (BatchEntry.objects.filter(pk=entry_id).filter(claimable)
               .filter(attempts__lt=settings.SCAN_MAX_ATTEMPTS)
               .update(status=ScanStatus.RUNNING, attempts=F("attempts") + 1, lease_until=lease_end(), error=""))
    if not updated:
        return None
    return BatchEntry.objects.filter(pk=entry_id).values_list("attempts", flat=True).first()


def run_chunk(batch_id: object, entry_ids: list[int]) -> dict[str, int]:
    """Claim what can be claimed of ``entry_ids``, scan those names, store each result as it arrives."""
    mine: dict[int, int] = {}  # entry id -> attempt
    for entry_id in entry_ids:
        attempt = claim_entry(entry_id)
        if attempt is not None:
            mine[entry_id] = attempt
    counts = {"claimed": len(mine), "done": 0, "failed": 0, "requeued": 0}
    if not mine:
        return counts
    names = dict(BatchEntry.objects.filter(pk__in=mine, batch_id=batch_id).values_list("pk", "name"))
    for stray in set(mine) - set(names):  # an id of another batch: not ours to run
        mine.pop(stray)
    by_name = {name: pk for pk, name in names.items()}
    try:
        config = scan_config(sorted(by_name), depth="sweep")
    except ScanInputError as exc:
        _give_up_or_retry(batch_id, mine, f"the scanner is not configured correctly: {exc}", counts)
        return counts
    engine = EngineThread(config)
    pending = dict(mine)

    def store_finished() -> None:
        while not engine.finished.empty():
            result = engine.finished.get()
            entry_id = by_name.get(result.domain, -1)
            if entry_id in pending and finish_entry(entry_id, pending.pop(entry_id), result):
                counts["done"] += 1

    def tick() -> bool:
        try:
            store_finished()
            renewed = set(BatchEntry.objects.filter(pk__in=list(pending), status=ScanStatus.RUNNING)
                          .values_list("pk", "attempts"))
            for entry_id, attempt in list(pending.items()):
                if (entry_id, attempt) not in renewed:
                    pending.pop(entry_id)  # taken over (or deleted): its result would be discarded anyway
            by_attempt: dict[int, list[int]] = {}
            for entry_id, attempt in pending.items():
                by_attempt.setdefault(attempt, []).append(entry_id)
            for attempt, ids in by_attempt.items():  # renew only this attempt's leases (one UPDATE per attempt)
                BatchEntry.objects.filter(pk__in=ids, status=ScanStatus.RUNNING, attempts=attempt).update(
                    lease_until=lease_end())
        except DatabaseError:  # a busy or briefly unreachable database: keep scanning, retry next second
            log.warning("sweep chunk of batch %s: could not renew leases", batch_id, exc_info=True)
        return bool(pending)

    outcome = run_watched(engine, tick)
    store_finished()
    if pending:
        if outcome == "timeout":
            reason = "the scan took too long and was stopped"
        else:
            log.warning("sweep chunk of batch %s: engine failed", batch_id, exc_info=engine.error)
            reason = engine_failure(engine.error)
        _give_up_or_retry(batch_id, pending, reason, counts)
    mark_batch_finished(batch_id)
    return counts


def finish_entry(entry_id: int, attempt: int, result: DomainResult) -> bool:
    with transaction.atomic():
        entry = BatchEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None or entry.status != ScanStatus.RUNNING or entry.attempts != attempt:
            return False
        entry.status = ScanStatus.DONE
        entry.grades = {k: g.to_dict() for k, g in result.grades.items()}
        entry.facts = facts_from_findings(result.findings)
        entry.error = result.error or ""
        entry.finished_at = timezone.now()
        entry.lease_until = None
        entry.save(update_fields=["status", "grades", "facts", "error", "finished_at", "lease_until"])
    return True


def _give_up_or_retry(batch_id: object, attempts: dict[int, int], reason: str, counts: dict[str, int]) -> None:
    from .tasks import dispatch_sweep

    retry: list[int] = []
    with transaction.atomic():
        for entry in BatchEntry.objects.select_for_update().filter(pk__in=list(attempts)):
            if entry.status != ScanStatus.RUNNING or entry.attempts != attempts[entry.pk]:
                continue
            entry.lease_until = None
            if entry.attempts >= settings.SCAN_MAX_ATTEMPTS:
                entry.status = ScanStatus.FAILED
                entry.error = f"{reason} (tried {entry.attempts} times)"
                entry.finished_at = timezone.now()
                counts["failed"] += 1
            else:
                entry.status = ScanStatus.QUEUED
                entry.error = reason
                entry.dispatched_at = timezone.now()
                retry.append(entry.pk)
                counts["requeued"] += 1
            entry.save(update_fields=["status", "error", "finished_at", "lease_until", "dispatched_at"])
        if retry:
            dispatch_sweep(batch_id, sorted(retry))


def mark_batch_finished(batch_id: object) -> bool:
    """Set the batch's finished_at once no entry is waiting or running (conditional: set once)."""
    if BatchEntry.objects.filter(batch_id=batch_id, status__in=(ScanStatus.QUEUED, ScanStatus.RUNNING)).exists():
        return False
    return bool(Batch.objects.filter(pk=batch_id, finished_at__isnull=True).update(finished_at=timezone.now()))
