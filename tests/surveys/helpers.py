"""Answers for the survey tests."""

from __future__ import annotations

from typing import Any

from smecyber.surveys import services
from smecyber.surveys.answer_views import FIELD_PREFIX
from smecyber.surveys.models import Campaign


def valid_answers(campaign: Campaign, **overrides: list[str]) -> dict[str, list[str]]:
    """A complete, valid answer: the first option of single questions, the first non-exclusive option of multi
    questions; ``overrides`` replace single questions' answers (e.g. country=["LV"])."""
    answers = {}
    for q in services.questions_of(campaign):
        first = next(o for o in q.options if o != q.exclusive)
        answers[q.id] = [first]
    answers.update(overrides)
    return answers


def as_post(answers: dict[str, list[str]]) -> dict[str, Any]:
    return {FIELD_PREFIX + qid: options for qid, options in answers.items()}
