"""The result page's figures for one submitted self-assessment: maturity per area with the answers that moved
it, the peer benchmark, NIS2 applicability and CRA readiness — recomputed from the stored profile and answers by
``smecyber.methodology``, with every text in the reader's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.methodology import texts
from smecyber.methodology.benchmark import benchmark
from smecyber.methodology.cra import CraResult, assess_cra
from smecyber.methodology.maturity import Move, score
from smecyber.methodology.nis2 import assess_nis2

from . import services
from .models import Assessment

MOVES_SHOWN = 3  # per area: the answers that cost it most
WEAK_CRA_ITEM = 0.5  # a CRA requirement covered below half is listed as weak


def level_name(level: int | None, lang: str) -> str:
    return texts.text(f"level.{level}", lang) if level is not None else _("no score")


def score_text(value: float | None) -> str:
    """2.5 as "2.5" or "2,5", in the active language's number format."""
    return "—" if value is None else number_format(value, 1)


def result_context(company: Company, assessment: Assessment, lang: str) -> dict[str, Any]:
    """Maturity with its reasoning, the peer benchmark, NIS2 and CRA, computed from the stored answers."""
    q = services.questionnaire()
    profile = services.profile_of(assessment)
    answers = services.answers_of(assessment)
    maturity = score(q, profile, answers)
    areas = []
    for area in maturity.areas:
        title = q.areas[area.area].text(lang).title if area.area in q.areas else area.area
        moves = [m for m in area.moves if m.lost > 0][:MOVES_SHOWN]
        areas.append({
            "id": area.area, "title": title, "score": score_text(area.score), "value": area.score,
            "level": level_name(area.level, lang), "answered": area.answered, "applicable": area.applicable,
            "not_applicable": area.not_applicable,
            "moves": [_move_row(q, m, lang) for m in moves],
        })
    latest = services.latest_submitted(company)
    is_latest = latest is not None and latest.pk == assessment.pk
    bench = benchmark(maturity.overall, services.group_scores(company), settings.AGGREGATE_MIN_GROUP) \
        if is_latest else None
    nis2 = assess_nis2(profile, q)
    cra = assess_cra(q, profile, answers, timezone.localdate())
    return {
        "company": company, "assessment": assessment, "maturity": maturity,
        "overall": score_text(maturity.overall), "overall_level": level_name(maturity.level, lang),
        "levels": [(n, texts.text(f"level.{n}", lang)) for n in range(5)],
        "areas": areas, "is_latest": is_latest,
        "benchmark": bench,
        "benchmark_text": texts.text(bench.reason, lang, **bench.reason_params()) if bench else "",
        "benchmark_position": texts.text("benchmark.position", lang, percentile=str(bench.percentile))
        if bench and bench.shown else "",
        "nis2": nis2, "nis2_scope": texts.text(f"nis2.scope.{nis2.scope}", lang),
        "nis2_reasons": [texts.reason_text(r, lang, q) for r in nis2.reasons if r.key != "nis2.disclaimer"],
        "nis2_disclaimer": texts.text("nis2.disclaimer", lang),
        "cra": cra, **_cra_context(q, cra, lang),
        "review_url": reverse("assessment_review", kwargs={"company_id": company.pk, "assessment_id": assessment.pk}),
    }


def _move_row(q: Questionnaire, move: Move, lang: str) -> dict[str, Any]:
    question = q.questions.get(move.question)
    label = move.answer
    text = move.question
    if question is not None:
        step = q.scale_of(question).step(move.answer)
        label = step.text(lang).label if step else move.answer
        text = question.text(lang).question
    return {"question": text, "answer": label, "lost": number_format(move.lost, 1), "id": move.question}


def _cra_context(q: Questionnaire, cra: CraResult, lang: str) -> dict[str, Any]:
    items = q.frameworks.get("cra", {})
    weak = [{"id": item.id, "title": items[item.id].title(lang) if item.id in items else item.id,
             "percent": round(item.score * 100)}
            for item in cra.items if item.score is not None and item.score < WEAK_CRA_ITEM]
    return {
        "cra_reasons": [texts.reason_text(r, lang, q) for r in cra.reasons],
        "cra_milestones": [{"date": m.date, "text": texts.text(m.key, lang), "in_force": m.in_force}
                           for m in cra.milestones],
        "cra_readiness": None if cra.readiness is None else round(cra.readiness * 100),
        "cra_weak": weak,
        "cra_unanswered": sum(1 for item in cra.items if item.score is None),
    }
