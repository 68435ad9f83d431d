"""Everything the methodology says about one SME, in one call, and the JSON document of ``smecyber assess``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smecyber.catalog.questionnaire_model import Questionnaire

from .applicability import applicable_areas
from .benchmark import MINIMUM_GROUP, Benchmark, benchmark, no_data
from .cra import CraResult, assess_cra
from .maturity import Maturity, score
from .nis2 import Nis2Result, assess_nis2
from .plan import PlanFinding, PlanItem, build_plan, item_text
from .profile import Profile
from .texts import Reason, reason_text, text

DOCUMENT_VERSION = "1.0"
SCHEMA_FILE = Path(__file__).parent / "assessment.schema.json"  # JSON Schema of result_document


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    profile: Profile
    answers: dict[str, str]
    today: date
    maturity: Maturity
    benchmark: Benchmark
    nis2: Nis2Result
    cra: CraResult
    plan: tuple[PlanItem, ...]


def assess(q: Questionnaire, profile: Profile, answers: Mapping[str, str], *, findings: Iterable[PlanFinding] = (),
           group_scores: Sequence[float] | None = None, minimum: int = MINIMUM_GROUP,
           today: date | None = None) -> AssessmentResult:
    """Score ``answers``; ``group_scores`` = the latest overall scores of the SME's peer group including its own
    (None: no peer data, the benchmark says so); ``today`` decides which CRA dates have come."""
    today = today or date.today()
    maturity = score(q, profile, answers)
    bench = no_data(minimum) if group_scores is None else benchmark(maturity.overall, group_scores, minimum)
    return AssessmentResult(
        profile=profile, answers=dict(answers), today=today, maturity=maturity, benchmark=bench,
        nis2=assess_nis2(profile, q), cra=assess_cra(q, profile, answers, today),
        plan=tuple(build_plan(q, profile, answers, findings)),
    )


def _reasons(reasons: Iterable[Reason], q: Questionnaire, lang: str) -> list[dict[str, Any]]:
    return [{"key": r.key, "params": dict(r.params), "text": reason_text(r, lang, q)} for r in reasons]


def _level_name(level: int | None, lang: str) -> str | None:
    return None if level is None else text(f"level.{level}", lang)


def _answer_label(q: Questionnaire, question_id: str, answer: str, lang: str) -> str:
    question = q.questions.get(question_id)
    step = q.scale_of(question).step(answer) if question else None
    return step.text(lang).label if step else answer


def result_document(result: AssessmentResult, q: Questionnaire, lang: str) -> dict[str, Any]:
    """The JSON-ready document: every figure with its reasoning, texts in ``lang``."""
    from smecyber import __version__

    m = result.maturity
    areas = []
    titles = {a.id: a.text(lang).title for a in applicable_areas(q, result.profile)}
    for area in m.areas:
        areas.append({
            "area": area.area, "title": titles.get(area.area, area.area),
            "score": area.score, "level": area.level, "level_name": _level_name(area.level, lang),
            "applicable": area.applicable, "answered": area.answered, "not_applicable": area.not_applicable,
            "moves": [{"question": mv.question, "text": q.questions[mv.question].text(lang).question,
                       "answer": mv.answer, "answer_label": _answer_label(q, mv.question, mv.answer, lang),
                       "value": mv.value, "weight": mv.weight, "lost": round(mv.lost, 2)} for mv in area.moves],
        })
    b = result.benchmark
    nis2, cra = result.nis2, result.cra
    cra_titles = q.frameworks.get("cra", {})
    plan = []
    for rank, item in enumerate(result.plan, start=1):
        title, why, how, refs = item_text(q, item, lang)
        plan.append({
            "rank": rank, "key": item.key, "kind": item.kind, "title": title, "why": why, "how": how,
            "references": [{"title": r.title, "url": r.url} for r in refs],
            "severity": item.severity, "likelihood": item.likelihood, "effort": item.effort,
            "owner": item.owner, "owner_name": text(f"owner.{item.owner}", lang), "gap": item.gap,
            "priority": item.priority,
            "questions": [{"question": qid, "answer": ans} for qid, ans in item.questions],
            "findings": [{"key": k, "status": s, "domain": d} for k, s, d in item.findings],
            "checked_by_scans": item.checked_by_scans,
        })
    return {
        "document_version": DOCUMENT_VERSION,
        "generator": {"name": "smecyber", "version": __version__},
        "questionnaire_version": q.version,
        "language": lang,
        "date": result.today.isoformat(),
        "profile": result.profile.to_dict(),
        "maturity": {"overall": m.overall, "level": m.level, "level_name": _level_name(m.level, lang),
                     "applicable": m.applicable, "answered": m.answered, "complete": m.complete, "areas": areas},
        "benchmark": {"shown": b.shown, "percentile": b.percentile, "group_size": b.group_size,
                      "minimum": b.minimum, "reason": b.reason, "text": text(b.reason, lang, **b.reason_params())},
        "nis2": {"scope": nis2.scope, "scope_name": text(f"nis2.scope.{nis2.scope}", lang), "size": nis2.size,
                 "size_estimated": nis2.size_estimated, "sector": nis2.sector, "annex": nis2.annex or None,
                 "sector_title": q.nis2_sectors[nis2.sector].title(lang) if nis2.sector else None,
                 "reasons": _reasons(nis2.reasons, q, lang)},
        "cra": {"applies": cra.applies, "readiness": cra.readiness, "reasons": _reasons(cra.reasons, q, lang),
                "milestones": [{"date": ms.date.isoformat(), "key": ms.key, "text": text(ms.key, lang),
                                "in_force": ms.in_force} for ms in cra.milestones],
                "items": [{"id": it.id, "title": cra_titles[it.id].title(lang) if it.id in cra_titles else it.id,
                           "score": it.score, "questions": list(it.questions)} for it in cra.items]},
        "plan": plan,
    }
