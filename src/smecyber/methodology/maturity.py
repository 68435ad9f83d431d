"""Maturity 0-4 per area and overall, with the answers that moved it.

A question counts when it applies to the SME and has an answer other than "not applicable". Its answer
value v (0, 0.25, 0.5 or 1) is weighted by the question's weight w (1-3):

    score = 4 * sum(w * v) / sum(w)          rounded half up to one decimal; None when no question counts

The overall score uses the same formula over every counted question (not the mean of the area scores), so an
area with many important questions weighs more. The level is the whole part of the shown score (0-4).
Each counted answer is a ``Move``: ``lost`` is how many of the area's 4 points it cost,
4 * w * (1 - v) / sum(w); the moves of an area add up to 4 minus its (unrounded) score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from smecyber.catalog.questionnaire_model import Question, Questionnaire

from .applicability import applicable_questions
from .profile import Profile

NOT_APPLICABLE = "na"
MAX_SCORE = 4.0


@dataclass(frozen=True, slots=True)
class Move:
    question: str
    answer: str  # the step key given
    value: float
    weight: int
    lost: float  # maturity points this answer cost its area (0 for a full answer)


@dataclass(frozen=True, slots=True)
class AreaMaturity:
    area: str
    score: float | None
    level: int | None
    applicable: int
    answered: int  # including "not applicable"
    not_applicable: int
    moves: tuple[Move, ...]  # counted answers, the costliest first


@dataclass(frozen=True, slots=True)
class Maturity:
    overall: float | None
    level: int | None
    areas: tuple[AreaMaturity, ...]  # the applicable areas, in questionnaire order
    applicable: int
    answered: int
    complete: bool  # every applicable question has an answer

    def area(self, area_id: str) -> AreaMaturity | None:
        return next((a for a in self.areas if a.area == area_id), None)


def answer_value(q: Questionnaire, question: Question, answer: str | None) -> tuple[bool, float | None]:
    """(valid, value): whether ``answer`` is a step of the question's scale, and its value (None for "na")."""
    if answer is None:
        return False, None
    scale = q.scales.get(question.scale)
    step = scale.step(answer) if scale is not None else None
    if step is None:
        return False, None
    return True, step.value


def level_of(score: float | None) -> int | None:
    return None if score is None else min(4, math.floor(score))


def _rounded(points: float, weights: int) -> float | None:
    if weights == 0:
        return None
    return round_half_up(MAX_SCORE * points / weights, 1)


def round_half_up(value: float, digits: int = 0) -> float:
    """2.25 -> 2.3 (Python's round() gives 2.2): the rounding people expect on a report."""
    factor = 10**digits
    return math.floor(value * factor + 0.5 + 1e-9) / factor


def score(q: Questionnaire, profile: Profile, answers: Mapping[str, str]) -> Maturity:
    by_area: dict[str, list[Question]] = {}
    for question in applicable_questions(q, profile):
        by_area.setdefault(question.area, []).append(question)
    areas: list[AreaMaturity] = []
    total_points = 0.0
    total_weights = 0
    answered_all = 0
    for area_id in (a for a in q.areas if a in by_area):
        counted: list[tuple[Question, str, float]] = []
        answered = not_applicable = 0
        for question in by_area[area_id]:
            key = answers.get(question.id)
            valid, value = answer_value(q, question, key)
            if not valid or key is None:
                continue
            answered += 1
            if value is None:
                not_applicable += 1
            else:
                counted.append((question, key, float(value)))
        weights = sum(question.weight for question, _, _ in counted)
        points = sum(question.weight * value for question, _, value in counted)
        moves = tuple(sorted(
            (Move(question.id, key, value, question.weight, MAX_SCORE * question.weight * (1 - value) / weights)
             for question, key, value in counted),
            key=lambda m: (-m.lost, q.questions[m.question].order),
        ))
        area_score = _rounded(points, weights)
        areas.append(AreaMaturity(area_id, area_score, level_of(area_score), len(by_area[area_id]), answered,
                                  not_applicable, moves))
        total_points += points
        total_weights += weights
        answered_all += answered
    overall = _rounded(total_points, total_weights)
    applicable = sum(a.applicable for a in areas)
    return Maturity(overall, level_of(overall), tuple(areas), applicable, answered_all, answered_all == applicable)
