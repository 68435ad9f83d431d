"""Requesting scans and batch sweeps. The work itself runs on Celery workers (tasks.py → runner.py / sweep.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smecyber.accounts.audit import record
from smecyber.accounts.models import AuditEvent, Programme, User
from smecyber.assets.models import Domain
from smecyber.checks.config import ScanConfig
from smecyber.checks.errors import InvalidDomainError
from smecyber.checks.targets import normalize_domain

from .models import Batch, BatchEntry, Scan, ScanStatus

MAX_BATCH_NAMES = 10_000
ACTIVE = (ScanStatus.QUEUED, ScanStatus.RUNNING)


class BatchInputError(ValueError):
    """A batch the platform will not start; ``message`` is translated and fit to show the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def scan_config(names: list[str], *, depth: str) -> ScanConfig:
    """The engine's configuration for ``names`` from the platform settings (SCAN_*).

    Only passive checks exist, so every domain gets the same config whether it is verified or not; an
    intrusive check must be enabled here only for verified domains (see ``assets.verification``).
    Raises ``ScanInputError`` when the settings are unusable (no nameserver, a bad CA file).
    """
    return ScanConfig.build(
        names,
        nameservers=list(settings.SCAN_NAMESERVERS) or None,
        ca_file=settings.SCAN_CA_FILE or None,
        timeout=settings.SCAN_TIMEOUT,
        total_timeout=settings.SCAN_TOTAL_TIMEOUT,
        concurrency=max(1, min(len(names), 1000)),
        allow_loopback=settings.SCAN_ALLOW_LOOPBACK,
        depth=depth,
    )


def request_scan(domain: Domain, *, user: User | None, trigger: str = Scan.Trigger.MANUAL,
                 request: HttpRequest | None = None) -> Scan:
    """The domain's waiting or running scan if there is one, else a new one, sent to a worker on commit."""
    from .tasks import dispatch_scan

    try:
        with transaction.atomic():
            # Lock the domain row so two clicks (or a click and the scheduler) cannot both create a scan.
            Domain.objects.select_for_update().filter(pk=domain.pk).first()
            existing = Scan.objects.filter(domain=domain, status__in=ACTIVE).first()
            if existing is not None:
                return existing
            scan = Scan.objects.create(domain=domain, trigger=trigger, depth="deep", requested_by=user,
                                       dispatched_at=timezone.now())
            if user is not None:
                record(AuditEvent.Action.SCAN_REQUESTED, actor=user, company=domain.company, target=domain.name,
                       detail={"scan": str(scan.id), "trigger": str(trigger)}, request=request)
            dispatch_scan(scan.id)
            return scan
    except IntegrityError:  # the database's one-active-scan rule caught a race the lock could not (SQLite)
        existing = Scan.objects.filter(domain=domain, status__in=ACTIVE).first()
        if existing is None:
            raise
        return existing


def submit_batch(programme: Programme, names: list[str], *, user: User | None, name: str,
                 request: HttpRequest | None = None) -> Batch:
    """Start a sweep of ``names`` (any spelling; duplicates folded). Raises :class:`BatchInputError`."""
    from .tasks import dispatch_sweep

    clean: list[str] = []
    seen: set[str] = set()
    bad: list[str] = []
    for raw in names:
        try:
            n = normalize_domain(raw)
        except InvalidDomainError:
            bad.append(str(raw)[:80])
            continue
        if n not in seen:
            seen.add(n)
            clean.append(n)
    if bad:
        raise BatchInputError(ngettext(
            "%(count)d name is not a valid domain name: %(names)s",
            "%(count)d names are not valid domain names: %(names)s", len(bad),
        ) % {"count": len(bad), "names": ", ".join(bad[:5]) + (" …" if len(bad) > 5 else "")})
    if not clean:
        raise BatchInputError(_("Give at least one domain name."))
    if len(clean) > MAX_BATCH_NAMES:
        raise BatchInputError(_("A batch can hold at most %(max)s domains; this one has %(count)s.") % {
            "max": f"{MAX_BATCH_NAMES:,}", "count": f"{len(clean):,}"})
    title = (name or "").strip()[:200] or timezone.localtime().strftime("%Y-%m-%d %H:%M")
    with transaction.atomic():
        batch = Batch.objects.create(programme=programme, name=title, submitted_by=user)
        now = timezone.now()
        BatchEntry.objects.bulk_create(
            [BatchEntry(batch=batch, name=n, dispatched_at=now) for n in clean], batch_size=1000)
        ids = list(BatchEntry.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))
        chunk = max(1, settings.SWEEP_CHUNK)
        for i in range(0, len(ids), chunk):
            dispatch_sweep(batch.id, ids[i:i + chunk])
    return batch
