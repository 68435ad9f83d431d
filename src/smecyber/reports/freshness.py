"""When a programme's cached aggregates, or an SME's cached dashboard overview, must be computed again.

Each programme has a generation (a random token) in the cache; the cached aggregates are filed under it.
It is replaced whenever something the aggregates read changes: a scan or a sweep entry finishes, an SME
joins or is deleted, a domain (with its scans) or a batch (with its entries) is removed. A done scan's or
entry's facts and grades never change afterwards, and no code path deletes a done scan on its own.

The cache is shared by the web and worker processes (file-based or Redis; tests use one process), so a
worker finishing a scan makes the next page view recompute. The generation is replaced at once and again
when the transaction commits: a page computed in between, from data without the change, is filed under a
generation that is already gone.

Each SME has a generation of its own for its dashboard overview (``company.cached_company_overview``): it is
replaced when a scan of one of its domains is created or changes status, when a domain is added, changed
(verified, renamed, schedule) or removed (with its scans: no code path deletes a scan on its own, and a
``post_delete`` receiver on ``Scan`` would stop Django from deleting an SME's scans in bulk), and when the SME
is saved or deleted. Progress-only saves
(a running scan's lease, the next scheduled time) leave it alone. A queued scan turning into a running one is
an ``update()`` without signals, so an overview with a scan in progress is never cached (company.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from smecyber.accounts.models import Company
from smecyber.assets.models import Domain
from smecyber.scans.models import Batch, BatchEntry, Scan, ScanStatus

KEY = "reports:programme-generation:{}"
COMPANY_KEY = "reports:company-generation:{}"
# Saves of these fields alone change nothing an SME's dashboard shows.
SCAN_PROGRESS_FIELDS = frozenset({"lease_until", "checks_done", "checks_total", "worker", "dispatched_at",
                                  "alerts_sent_at", "attempts", "started_at"})
DOMAIN_BOOKKEEPING_FIELDS = frozenset({"next_scan_at"})


def generation(programme_id: object, key_format: str = KEY) -> str:
    key = key_format.format(programme_id)
    value = cache.get(key)
    if value is None:  # never set, or evicted: start a new one (nothing is filed under it yet)
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return str(value)


def company_generation(company_id: object) -> str:
    return generation(company_id, COMPANY_KEY)


def _renew(programme_id: object, key_format: str = KEY) -> None:
    cache.set(key_format.format(programme_id), uuid.uuid4().hex, None)


def programme_changed(programme_id: object | None) -> None:
    if programme_id is None:
        return
    _renew(programme_id)
    transaction.on_commit(lambda: _renew(programme_id))


def company_changed(company_id: object | None, *, on_commit: bool = True) -> None:
    if company_id is None:
        return
    _renew(company_id, COMPANY_KEY)
    if on_commit:
        transaction.on_commit(lambda: _renew(company_id, COMPANY_KEY))


def _shows(update_fields: Any, bookkeeping: frozenset[str]) -> bool:
    """Whether a save may change what the SME dashboard shows (``update_fields`` not all bookkeeping)."""
    return update_fields is None or not set(update_fields) <= bookkeeping


def _company_of_domain(domain_id: object) -> object | None:
    return Domain.objects.filter(pk=domain_id).values_list("company_id", flat=True).first()


def _finished(instance: Any, update_fields: Any) -> bool:
    return instance.status == ScanStatus.DONE and (update_fields is None or "status" in update_fields)


def _scan_saved(sender: type, instance: Scan, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if created or _shows(update_fields, SCAN_PROGRESS_FIELDS):
        # An existing scan saved as queued or running (a requeue) was in progress before too, so no overview
        # computed before the commit is cached (company.py): renewing at once is enough.
        settled = created or instance.status not in (ScanStatus.QUEUED, ScanStatus.RUNNING)
        company_changed(_company_of_domain(instance.domain_id), on_commit=settled)
    if _finished(instance, update_fields):
        programme_changed(Company.objects.filter(domains=instance.domain_id).values_list(
            "programme_id", flat=True).first())


def _entry_saved(sender: type, instance: BatchEntry, created: bool, update_fields: Any = None,
                 **kwargs: Any) -> None:
    if _finished(instance, update_fields):
        programme_changed(Batch.objects.filter(pk=instance.batch_id).values_list("programme_id", flat=True).first())


def _company_saved(sender: type, instance: Company, created: bool, **kwargs: Any) -> None:
    company_changed(instance.pk)
    if created:
        programme_changed(instance.programme_id)


def _company_deleted(sender: type, instance: Company, **kwargs: Any) -> None:
    company_changed(instance.pk)
    programme_changed(instance.programme_id)


def _domain_saved(sender: type, instance: Domain, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if created or _shows(update_fields, DOMAIN_BOOKKEEPING_FIELDS):
        company_changed(instance.company_id)


def _domain_deleted(sender: type, instance: Domain, **kwargs: Any) -> None:
    company_changed(instance.company_id)
    # The company is deleted after its domains (if at all), so it is still there to ask.
    programme_changed(Company.objects.filter(pk=instance.company_id).values_list("programme_id", flat=True).first())


def _batch_deleted(sender: type, instance: Batch, **kwargs: Any) -> None:
    programme_changed(instance.programme_id)


def connect() -> None:
    post_save.connect(_scan_saved, sender=Scan, dispatch_uid="reports-scan-saved")
    post_save.connect(_entry_saved, sender=BatchEntry, dispatch_uid="reports-entry-saved")
    post_save.connect(_domain_saved, sender=Domain, dispatch_uid="reports-domain-saved")
    post_save.connect(_company_saved, sender=Company, dispatch_uid="reports-company-saved")
    post_delete.connect(_company_deleted, sender=Company, dispatch_uid="reports-company-deleted")
    post_delete.connect(_domain_deleted, sender=Domain, dispatch_uid="reports-domain-deleted")
    post_delete.connect(_batch_deleted, sender=Batch, dispatch_uid="reports-batch-deleted")
