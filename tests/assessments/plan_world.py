"""Helpers of the action plan tests: scans stored as the runner stores them, the questionnaire's DMARC question."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from smecyber.accounts.models import Company, User
from smecyber.assessments.models import Answer, Assessment
from smecyber.assets.models import Domain
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.catalog.questionnaire_model import Question
from smecyber.scans.models import Scan, ScanFinding, ScanStatus

DMARC_PREFIX = "mail.dmarc."
# (key, status, severity)
DMARC_MISSING = ("mail.dmarc.missing", "fail", "high")
DMARC_OK = ("mail.dmarc.policy_reject", "pass", "none")
HSTS_SHORT = ("web.hsts.max_age_short", "warn", "medium")
HSTS_OK = ("web.hsts.ok", "pass", "none")


def add_scan(domain: Domain, findings: Iterable[tuple[str, str, str]], *, started: dt.datetime | None = None,
             finished: dt.datetime | None = None) -> Scan:
    """A finished scan of ``domain`` with these findings, created now: the domain's latest (creation order)."""
    finished = finished or timezone.now()
    started = started or finished - dt.timedelta(minutes=1)
    scan = Scan.objects.create(domain=domain, status=ScanStatus.DONE, started_at=started, finished_at=finished,
                               checks_done=3, checks_total=3)
    for key, status, severity in findings:
        ScanFinding.objects.create(scan=scan, check_id=key.rsplit(".", 1)[0], key=key, status=status,
                                   severity=severity, subject=domain.name)
    return scan


def dmarc_recommendation() -> str:
    """The recommendation that covers DMARC findings (found by its prefix, not by a hard-coded id)."""
    q = load_questionnaire()
    return next(r.id for r in q.recommendations.values() if DMARC_PREFIX in r.findings)


def dmarc_question() -> Question:
    """A question of the packaged questionnaire whose recommendation covers DMARC findings and which applies to
    every company (no conditions), so a weak answer to it produces that recommendation."""
    q = load_questionnaire()
    rec = dmarc_recommendation()
    return next(question for question in q.questions.values()
                if rec in question.recommendations and question.applies.empty
                and not q.areas[question.area].software_only)


def submit_answers(company: Company, user: User | None, answers: dict[str, str], *,
                   profile: dict[str, object] | None = None) -> Assessment:
    """A submitted assessment with these answers (as services.submit leaves it, without scoring)."""
    now = timezone.now()
    assessment = Assessment.objects.create(
        company=company, questionnaire_version=load_questionnaire().version, started_by=user,
        status=Assessment.Status.SUBMITTED, submitted_at=now, submitted_by=user,
        profile=profile or {"country": company.country, "size_band": "small", "sector": "G"})
    for question, value in answers.items():
        Answer.objects.create(assessment=assessment, question=question, value=value, answered_by=user)
    return assessment
