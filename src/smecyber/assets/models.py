"""An SME's domains and the proof that it owns them."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.models import Company

VERIFICATION_TXT_PREFIX = "smecyber-verification="
VERIFICATION_PATH = "/.well-known/smecyber-verification.txt"


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class Domain(models.Model):
    class Schedule(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")
        OFF = "off", _("only when I ask")

    class Method(models.TextChoices):
        DNS = "dns", _("DNS TXT record")
        FILE = "file", _("file on the web server")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(_("domain"), max_length=253)  # A-label (punycode), lower case
    display_name = models.CharField(max_length=253)  # as the user typed it (Unicode allowed)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    verification_token = models.CharField(max_length=64, default=new_verification_token)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    schedule = models.CharField(_("automatic scans"), max_length=10, choices=Schedule.choices,
                                default=Schedule.WEEKLY)
    next_scan_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="unique_company_domain")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name or self.name

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def txt_record(self) -> str:
        return f"{VERIFICATION_TXT_PREFIX}{self.verification_token}"
