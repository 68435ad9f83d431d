"""Suggested answers for a member SME, from what the platform already knows about it: the profile from the
company record, and the measures, staff awareness and security documents from its latest submitted
self-assessment (questions mapped to the same Eurostat indicators; an answer of "Mostly" (0.5) or better counts
as in use). Only suggestions: nothing is stored until the SME's person submits the form.
"""

from __future__ import annotations

from smecyber.accounts.models import Company
from smecyber.assessments.models import Assessment
from smecyber.assessments.services import answers_of, latest_submitted, questionnaire
from smecyber.catalog.survey_template import SurveyQuestion

from .models import Campaign
from .services import questions_of

IN_USE_FROM = 0.5


def assessment_codes(assessment: Assessment) -> tuple[set[str], set[str]]:
    """(indicators the assessment answered, indicators in use), as survey codes. "Does not apply" answers
    tell nothing and are left out."""
    q = questionnaire()
    known: set[str] = set()
    in_use: set[str] = set()
    for qid, key in answers_of(assessment).items():
        question = q.questions.get(qid)
        if question is None or not question.eurostat:
            continue
        step = q.scale_of(question).step(key)
        if step is None or step.value is None:
            continue
        for code in question.eurostat:  # the questionnaire and the survey template share Eurostat's codes
            known.add(code)
            if step.value >= IN_USE_FROM:
                in_use.add(code)
    return known, in_use


def _profile_answer(q: SurveyQuestion, company: Company) -> list[str]:
    value: str | None = None
    if q.dimension == "country":
        value = company.country if company.country in q.options else ("other" if "other" in q.options else None)
    elif q.dimension == "sector":
        value = company.sector or None
    elif q.dimension == "size_band":
        value = company.size_band or None
    elif q.id == "builds_software":
        value = "yes" if company.builds_software else "no"
    return [value] if value in q.options else []


def _indicator_answer(q: SurveyQuestion, known: set[str], in_use: set[str]) -> list[str]:
    mapped = dict(q.eurostat)
    if not any(code in known for code in mapped.values()):
        return []
    chosen = [oid for oid in q.options if oid in mapped and mapped[oid] in in_use]
    everything_known = all(code in known for code in mapped.values())
    if q.kind == "single":
        if chosen:
            return chosen[:1]
        others = [oid for oid in q.options if oid not in mapped]
        return others if everything_known and len(others) == 1 else []
    if chosen:
        return chosen
    # "none of these" only when the assessment asked about every one of them
    return [q.exclusive] if q.exclusive and everything_known else []


def prefill_answers(campaign: Campaign, company: Company) -> tuple[dict[str, list[str]], Assessment | None]:
    """Suggested answers (question id -> option ids) and the assessment they came from (None: profile only)."""
    assessment = latest_submitted(company)
    known, in_use = assessment_codes(assessment) if assessment is not None else (set(), set())
    answers: dict[str, list[str]] = {}
    for q in questions_of(campaign):
        suggested = _profile_answer(q, company) if q.section == "profile" else _indicator_answer(q, known, in_use)
        if suggested:
            answers[q.id] = suggested
    return answers, assessment

