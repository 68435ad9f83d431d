"""Scans of an SME's domains, their findings, and programme-wide batch sweeps.

A scan's findings are written in the same transaction that marks it done, by the attempt that holds the
scan's lease, so a retried or duplicated task never leaves two result sets (see ``runner.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.models import Programme
from smecyber.assets.models import Domain


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Scan(models.Model):
    class Trigger(models.TextChoices):
        MANUAL = "manual", _("on request")
        SCHEDULED = "scheduled", _("scheduled")
        API = "api", _("through the API")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="scans")
    status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    depth = models.CharField(max_length=10, default="deep")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)  # a running scan renews it; expiry = worker lost
    worker = models.CharField(max_length=200, blank=True)
    checks_done = models.PositiveSmallIntegerField(default=0)
    checks_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)  # why it failed, in words a user can act on
    grades = models.JSONField(default=dict, blank=True)  # {"mail": {"score": 80, "letter": "B", ...}, ...}
    facts = models.JSONField(default=dict, blank=True)  # summary used by aggregates (facts.py)
    duration_s = models.FloatField(null=True, blank=True)
    # When the run_scan message was last sent: a scan queued long after it is re-sent (a lost message).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Set by the one send_scan_alerts run that sends this scan's alert emails (a duplicate sends none).
    alerts_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["domain", "-created_at"]), models.Index(fields=["status", "lease_until"])]
        constraints = [
            # At most one waiting or running scan per domain (request_scan returns it instead of a second one).
            models.UniqueConstraint(fields=["domain"], condition=models.Q(status__in=["queued", "running"]),
                                    name="one_active_scan_per_domain"),
        ]

    @property
    def finished(self) -> bool:
        return self.status in (ScanStatus.DONE, ScanStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.status == ScanStatus.DONE:
            return 100
        if not self.checks_total:
            return 0
        return min(99, round(100 * self.checks_done / self.checks_total))


class ScanFinding(models.Model):
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=50)
    key = models.CharField(max_length=100, db_index=True)
    status = models.CharField(max_length=10)
    severity = models.CharField(max_length=10)
    subject = models.CharField(max_length=255, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    points = models.IntegerField(default=0)
    score_group = models.CharField(max_length=30, blank=True)

    class Meta:
        indexes = [models.Index(fields=["scan", "status"])]

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes "the same finding" across two scans of a domain (for the diff)."""
        return (self.check_id, self.key, self.subject)


class Batch(models.Model):
    """A coordinator's programme-wide sweep of a list of domains. Results feed aggregate views only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(_("name"), max_length=200)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class BatchEntry(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(max_length=253)  # A-label
    status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    grades = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)  # when its sweep_chunk message was last sent

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "name"], name="unique_batch_entry")]
        indexes = [models.Index(fields=["batch", "status"])]
