"""An SME's self-assessments (answers, who was asked to answer which area, comments) and its action plan.

The questionnaire itself is catalog data (``smecyber.catalog.questionnaire``); rows here refer to its
question, area and recommendation ids as strings, so the catalog can grow without migrations.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.models import Company


class Assessment(models.Model):
    """One filling-in of the questionnaire. A company has at most one draft; submitted ones are its history."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in progress")
        SUBMITTED = "submitted", _("submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="assessments")
    questionnaire_version = models.CharField(max_length=20)
    profile = models.JSONField(default=dict)  # methodology.profile.Profile.to_dict()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_step = models.CharField(max_length=40, blank=True)  # where "continue" takes the user back to
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Scores kept at submission, for the peer benchmark and lists (recomputed from answers for display)
    overall = models.FloatField(null=True, blank=True)
    area_scores = models.JSONField(default=dict, blank=True)  # area id -> 0..4 or null

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["company", "status", "-submitted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["company"], condition=models.Q(status="draft"),
                                    name="one_draft_assessment_per_company"),
        ]


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=80)  # questionnaire question id
    value = models.CharField(max_length=8)  # a step key of the question's scale: "0", "0.25", "0.5", "1", "na"
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]


class AreaAssignment(models.Model):
    """An owner asks a colleague (a member, or someone invited by email) to answer one area."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    area = models.CharField(max_length=40)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="area_assignments")
    email = models.EmailField(blank=True)  # until an invited person has an account
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)


class Comment(models.Model):
    """A remark on an assessment or one of its questions, by an advisor with consent or the SME's people."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    question = models.CharField(max_length=80, blank=True)  # "" = about the whole assessment
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_email = models.EmailField(blank=True)  # kept when the author's account is gone
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class ActionItem(models.Model):
    """One item of an SME's action plan. The plan is recomputed (methodology.plan.build_plan) when an
    assessment is submitted and when a scan finishes; what people set (status, due date, owner, reason) stays."""

    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        DOING = "doing", _("doing")
        DONE = "done", _("done")
        ACCEPTED = "accepted", _("risk accepted")

    class Owner(models.TextChoices):
        SME = "sme", _("your company")
        IT_PROVIDER = "it_provider", _("your IT provider")
        WEB_HOST = "web_host", _("your web host")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="action_items")
    key = models.CharField(max_length=120)  # a recommendation id, or "finding:<finding key>"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TODO)
    status_reason = models.TextField(blank=True, max_length=2000)  # required for "risk accepted"
    due_date = models.DateField(null=True, blank=True)
    owner = models.CharField(max_length=20, choices=Owner.choices, default=Owner.SME)
    # Computed by the latest plan (methodology.plan.PlanItem)
    active = models.BooleanField(default=True)  # still produced by the latest answers and findings
    rank = models.PositiveIntegerField(default=0)  # 1 = do first
    priority = models.FloatField(default=0)
    severity = models.CharField(max_length=10, default="medium")
    effort = models.CharField(max_length=10, default="medium")
    # {"questions": [[id, answer]], "findings": [[key, status, domain]]}
    sources = models.JSONField(default=dict, blank=True)
    checked_by_scans = models.BooleanField(default=False)  # a check covers it: a scan can confirm or reopen it
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)  # a scan after done_at found it fixed
    reopened_at = models.DateTimeField(null=True, blank=True)  # a scan after done_at still found the problem
    reopen_note = models.TextField(blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["company", "key"], name="one_action_item_per_key")]
        indexes = [models.Index(fields=["company", "active", "rank"])]
