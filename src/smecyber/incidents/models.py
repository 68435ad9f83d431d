"""An SME's incident log, and the frozen quarterly threat statistics a programme sees.

Incident types, affected assets, impact and cost bands are catalog data (catalog/incidents/); rows keep ids.
``ThreatSnapshot`` freezes a programme's anonymised figures for one past quarter the first time they are
shown: figures that changed whenever an SME recorded an incident would tell the difference, i.e. what that
one SME recorded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.models import Company, Programme


class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("type"), max_length=40)  # catalog incident type id
    title = models.CharField(_("short description"), max_length=200)
    occurred_at = models.DateTimeField(_("when it happened or started"))
    detected_at = models.DateTimeField(_("when you noticed it"), null=True, blank=True)
    affected = models.JSONField(default=list, blank=True)  # catalog ids: email, website, customer_data, ...
    impact = models.CharField(_("impact"), max_length=20)  # catalog id: none, minor, significant, severe
    cost_band = models.CharField(_("cost"), max_length=20)  # catalog id: none, lt_1k, 1k_10k, ...
    reported = models.BooleanField(_("reported to an authority"), default=False)
    reported_to = models.JSONField(default=list, blank=True)  # catalog ids of authorities, "police", "other"
    reported_other = models.CharField(max_length=200, blank=True)
    notes = models.TextField(_("what happened and what you did"), blank=True, max_length=10000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["company", "-occurred_at"])]


class ThreatSnapshot(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="threat_snapshots")
    period = models.CharField(max_length=7)  # "2026-Q3"
    made_at = models.DateTimeField(default=timezone.now)
    figures = models.JSONField(default=dict)  # already suppressed: what may be shown, nothing else

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "period"], name="one_snapshot_per_period")]
