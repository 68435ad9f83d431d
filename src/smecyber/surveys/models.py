"""Needs-survey campaigns of a programme and their responses.

A campaign freezes its questions when it is created from the catalog template (``definition``); every option
of every question gets a bit position (``bits``), and a response stores its chosen options as bits in four
64-bit integers, so one GROUP BY over the three dimension columns counts every option at once.

Responses carry no link to a company or a person: an anonymous response is a row and nothing else; a member
SME's response is a row too, and its ``Participation`` (which SME answered, to allow one response per SME)
is a separate row with no reference to the response and no date (a response keeps only its day).
Statistics are published only once a campaign is closed (statistics.py explains why).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.models import Company, Programme

BITS_PER_COLUMN = 40  # sums of bit values stay far below 2**63 on SQLite for millions of rows
BIT_COLUMNS = ("bits0", "bits1", "bits2", "bits3")
MAX_OPTIONS = BITS_PER_COLUMN * len(BIT_COLUMNS)


def new_link_token() -> str:
    return secrets.token_urlsafe(24)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    intro = models.JSONField(default=dict, blank=True)  # language -> introduction text shown to respondents
    template_version = models.CharField(max_length=20)
    definition = models.JSONField(default=dict)  # the template's questions (ids, kinds, options) as frozen
    included = models.JSONField(default=list)  # ids of the template's questions this campaign asks
    bits = models.JSONField(default=dict)  # "question.option" -> bit position 0..MAX_OPTIONS-1
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    anonymous_link = models.BooleanField(_("open to anyone with the link"), default=True)
    members = models.BooleanField(_("open to the programme's SMEs (logged in)"), default=True)
    link_token = models.CharField(max_length=64, unique=True, default=new_link_token)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # random: no order to link by
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(default=timezone.localdate)  # the day only
    language = models.CharField(max_length=8, blank=True)
    # the three statistics dimensions (also answers of the profile questions)
    country = models.CharField(max_length=8)
    sector = models.CharField(max_length=2)
    size_band = models.CharField(max_length=10)
    bits0 = models.BigIntegerField(default=0)
    bits1 = models.BigIntegerField(default=0)
    bits2 = models.BigIntegerField(default=0)
    bits3 = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["campaign", "country", "sector", "size_band"])]


class Participation(models.Model):
    """That a member SME answered a campaign (one response per SME), without saying which response is its."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="survey_participations")
    # No date or time: with one, a day with a single member answer would match the SME to its response.

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "company"], name="one_response_per_sme")]
