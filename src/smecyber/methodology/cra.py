"""Cyber Resilience Act readiness: does the CRA apply, from which dates, and how far the answers cover each
essential requirement of its Annex I.

Source: Regulation (EU) 2024/2847 (CRA), in force 10 December 2024; Art. 71(2): the notified-body rules
(Chapter IV) apply from 11 June 2026, the reporting obligations of Art. 14 from 11 September 2026, everything
else from 11 December 2027.

An item's score is the weighted mean (0..1) of the answered, applicable questions mapped to it ("not
applicable" answers do not count); readiness is the mean of the item scores that exist. Both are None when
nothing counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from smecyber.catalog.questionnaire_model import Questionnaire

from .applicability import applicable_questions
from .maturity import answer_value, round_half_up
from .profile import Profile
from .texts import Reason

MILESTONES: tuple[tuple[date, str], ...] = (
    (date(2026, 6, 11), "cra.milestone.notified_bodies"),
    (date(2026, 9, 11), "cra.milestone.reporting"),
    (date(2027, 12, 11), "cra.milestone.full"),
)


@dataclass(frozen=True, slots=True)
class Milestone:
    date: date
    key: str  # texts.yaml key
    in_force: bool  # the date has come


@dataclass(frozen=True, slots=True)
class CraItem:
    id: str  # "I.1", "I.2.a" ... "II.8"
    score: float | None  # 0..1, None when no answered question covers it
    questions: tuple[str, ...]  # the applicable questions mapped to it


@dataclass(frozen=True, slots=True)
class CraResult:
    applies: bool
    reasons: tuple[Reason, ...]
    milestones: tuple[Milestone, ...]
    items: tuple[CraItem, ...]
    readiness: float | None  # 0..1


def _reasons(profile: Profile) -> tuple[Reason, ...]:
    if profile.places_products:
        return (Reason("cra.applies"), Reason("cra.exclusions"), Reason("cra.duties"), Reason("cra.disclaimer"))
    if profile.builds_software:
        return (Reason("cra.not_placing_builds_software"), Reason("cra.disclaimer"))
    return (Reason("cra.not_applicable"), Reason("cra.buyer"))


def assess_cra(q: Questionnaire, profile: Profile, answers: Mapping[str, str], today: date) -> CraResult:
    milestones = tuple(Milestone(day, key, today >= day) for day, key in MILESTONES)
    applicable = applicable_questions(q, profile)
    items: list[CraItem] = []
    raw: list[float] = []  # unrounded item scores, for the readiness
    for item_id in q.frameworks.get("cra", {}):
        mapped = [question for question in applicable if item_id in question.cra]
        points = 0.0
        weights = 0
        for question in mapped:
            valid, value = answer_value(q, question, answers.get(question.id))
            if valid and value is not None:
                points += question.weight * value
                weights += question.weight
        item_score = round_half_up(points / weights, 2) if weights else None
        if weights:
            raw.append(points / weights)
        items.append(CraItem(item_id, item_score, tuple(question.id for question in mapped)))
    readiness = round_half_up(sum(raw) / len(raw), 2) if raw else None
    return CraResult(profile.places_products, _reasons(profile), milestones, tuple(items), readiness)
