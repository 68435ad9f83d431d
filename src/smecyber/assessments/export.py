"""The self-assessments and the action plan of one SME in its data export (accounts/gdpr.export_company)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from smecyber.catalog.languages import normalize_language
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.methodology.plan import item_text

from .models import ActionItem, Assessment
from .plan_presenting import ItemKind, kind_of


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _email(user: Any) -> str | None:
    return user.email if user else None


def export_assessments(company: Any, lang: str) -> list[dict[str, Any]]:
    """Every self-assessment (drafts too) with its profile, answers, comments and area assignments."""
    q = load_questionnaire()
    lang = normalize_language(lang)
    result = []
    assessments = (Assessment.objects.filter(company=company).select_related("started_by", "submitted_by")
                   .prefetch_related("answers__answered_by", "comments", "assignments__assignee")
                   .order_by("started_at"))
    for a in assessments:
        answers = []
        for answer in sorted(a.answers.all(), key=lambda x: x.question):
            question = q.questions.get(answer.question)
            step = q.scale_of(question).step(answer.value) if question else None
            answers.append({
                "question": answer.question,
                "text": question.text(lang).question if question else "",
                "value": answer.value,
                "label": step.text(lang).label if step else "",
                "answered_by": _email(answer.answered_by), "answered_at": _iso(answer.answered_at),
            })
        result.append({
            "id": str(a.id), "status": a.status, "questionnaire_version": a.questionnaire_version,
            "profile": a.profile, "started_by": _email(a.started_by), "started_at": _iso(a.started_at),
            "submitted_by": _email(a.submitted_by), "submitted_at": _iso(a.submitted_at),
            "overall": a.overall, "area_scores": a.area_scores, "answers": answers,
            "comments": [{"question": c.question, "author": c.author_email, "text": c.text,
                          "created_at": _iso(c.created_at)} for c in a.comments.all()],
            "assignments": [{"area": s.area, "assignee": _email(s.assignee) or s.email,
                             "created_at": _iso(s.created_at), "completed_at": _iso(s.completed_at)}
                            for s in a.assignments.all()],
        })
    return result


def export_action_plan(company: Any, lang: str) -> list[dict[str, Any]]:
    """Every item of the action plan, active or not, with what people set and where it came from."""
    q = load_questionnaire()
    lang = normalize_language(lang)
    items = []
    for item in ActionItem.objects.filter(company=company).select_related("updated_by").order_by("-active", "rank"):
        title = item_text(q, ItemKind(item.key, kind_of(item.key)), lang)[0]  # type: ignore[arg-type]
        items.append({
            "key": item.key, "title": title, "active": item.active, "rank": item.rank, "status": item.status,
            "status_label": str(item.get_status_display()), "status_reason": item.status_reason,
            "due_date": _iso(item.due_date), "owner": item.owner, "severity": item.severity, "effort": item.effort,
            "sources": item.sources, "created_at": _iso(item.created_at), "updated_at": _iso(item.updated_at),
            "updated_by": _email(item.updated_by), "done_at": _iso(item.done_at),
            "confirmed_at": _iso(item.confirmed_at), "reopened_at": _iso(item.reopened_at),
        })
    return items
