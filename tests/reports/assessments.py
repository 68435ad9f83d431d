"""Self-assessments for the reports tests, made through the platform's own services (the real questionnaire)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from smecyber.accounts.models import Company, Programme, User
from smecyber.assessments import services
from smecyber.assessments.models import Assessment
from smecyber.methodology.applicability import applicable_questions


def answer_all(company: Company, user: User | None, *, low: Iterable[str] = (), **profile: Any) -> Assessment:
    """A draft with ``profile`` (Profile field names) and every applicable question answered: "Mostly" (0.5) on
    the practice scale and "yes" on yes/no questions, "No" (0) for the ids in ``low``. Not submitted."""
    assessment = services.start_assessment(company, user)
    saved = services.save_profile(assessment, profile)
    q = services.questionnaire()
    low = set(low)
    answers = {}
    for question in applicable_questions(q, saved):
        keys = q.scale_of(question).keys
        answers[question.id] = "0" if question.id in low else ("0.5" if "0.5" in keys else "1")
    services.save_answers(assessment, answers, user)
    return assessment


def submit_assessment(company: Company, user: User | None, *, low: Iterable[str] = (),
                      **profile: Any) -> Assessment:
    return services.submit(answer_all(company, user, low=low, **profile), user)


def add_peer(programme: Programme, name: str, overall: float, *, country: str = "SE", size_band: str = "small",
             sector: str = "G") -> Company:
    """An SME with only a submitted assessment's stored overall score: all the peer benchmark reads of it."""
    company = Company.objects.create(programme=programme, name=name, country=country, size_band=size_band,
                                     sector=sector)
    Assessment.objects.create(company=company, questionnaire_version="test", status=Assessment.Status.SUBMITTED,
                              submitted_at=timezone.now(), overall=overall)
    return company
