"""An SME's latest self-assessment and its action plan."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from smecyber.accounts.permissions import company_or_404
from smecyber.assessments.models import ActionItem
from smecyber.assessments.plan_presenting import item_view
from smecyber.assessments.plan_service import UNSET, ItemChangeError, latest_submitted_assessment, update_item
from smecyber.catalog.languages import normalize_language
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.methodology.maturity import level_of
from smecyber.methodology.nis2 import assess_nis2
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import reason_text
from smecyber.methodology.texts import text as methodology_text
from smecyber.scans.viewing import note_results_viewed

from .lookups import caller
from .pagination import Page
from .schemas import Language, ReferenceOut

router = Router(tags=["self-assessment and action plan"])

ItemStatus = Literal["todo", "doing", "done", "accepted"]
Owner = Literal["sme", "it_provider", "web_host"]


# --- schemas ----------------------------------------------------------------------------------------------------

class AreaScoreOut(Schema):
    area: str = Field(description="Area id, e.g. backups")
    title: str = Field(description="The area's name in `lang`")
    score: float | None = Field(description="Maturity 0-4 (one decimal); null when no answer counted")
    level: int | None = Field(description="Maturity level 0-4 (the whole part of the score)")


class Nis2Out(Schema):
    scope: Literal["out", "important", "essential"] = Field(
        description="Likely NIS2 status from the sector and size given: guidance, not legal advice")
    size: str = Field(description="Enterprise size used (Recommendation 2003/361/EC): micro, small, medium, large")
    size_estimated: bool = Field(description="True when the size comes from the size band, not from figures")
    sector: str = Field(description="NIS2 sector id, empty when none")
    reasons: list[str] = Field(description="The reasoning, one sentence each, in `lang`")


class AssessmentOut(Schema):
    id: uuid.UUID
    submitted_at: datetime
    questionnaire_version: str
    lang: str = Field(description="Language of titles and reasons")
    overall: float | None = Field(description="Overall maturity 0-4; null when no answer counted")
    level: int | None = Field(description="Overall maturity level 0-4")
    level_name: str | None = Field(description="The level's name in `lang`")
    areas: list[AreaScoreOut] = Field(description="The areas that applied to the SME, in questionnaire order")
    nis2: Nis2Out


class AnswerSourceOut(Schema):
    question_id: str
    answer: str = Field(description="The step chosen: 0, 0.25, 0.5, 1 (or na)")
    question: str = Field(description="The question in `lang`")
    answer_label: str = Field(description="The step's label in `lang`")


class FindingSourceOut(Schema):
    key: str = Field(description="Catalog key of the finding")
    status: str = Field(description="fail or warn")
    domain: str
    title: str = Field(description="The finding's title in `lang`")


class ActionItemOut(Schema):
    id: int
    key: str = Field(description="Recommendation id (rec.*), or finding:<catalog key> for a finding of its own")
    rank: int = Field(description="1 = do first")
    priority: float = Field(description="Risk reduced per unit of effort (severity × likelihood × gap / effort)")
    severity: str = Field(description="low, medium, high or critical")
    effort: str = Field(description="low, medium or high")
    owner: Owner = Field(description="Who should do it: the SME itself, its IT provider or its web host")
    status: ItemStatus
    status_reason: str = Field(description="Why the risk is accepted (required for that status)")
    due_date: date | None
    checked_by_scans: bool = Field(description="A scan can confirm or reopen it once it is done")
    done_at: datetime | None
    confirmed_at: datetime | None = Field(description="A scan after it was marked done found it fixed")
    reopened_at: datetime | None = Field(description="A scan after it was marked done still found the problem")
    reopen_note: str = Field(description="What that scan found (English)")
    updated_at: datetime
    lang: str = Field(description="Language of title, why, how and the sources' texts")
    title: str
    why: str
    how: str = Field(description="Concrete steps, one per line")
    steps: list[str] = Field(description="The same steps as a list")
    references: list[ReferenceOut]
    answers: list[AnswerSourceOut] = Field(description="Self-assessment answers that produced the item")
    findings: list[FindingSourceOut] = Field(description="Scan findings that produced the item")


class ActionItemIn(Schema):
    """Only the fields sent change. `status: accepted` needs a `status_reason` (sent or already stored)."""

    status: ItemStatus | None = Field(None, description="todo, doing, done or accepted (risk accepted)")
    status_reason: str | None = Field(None, max_length=2000, description="Why the risk is accepted")
    due_date: date | None = Field(None, description="YYYY-MM-DD, from 2000 on; null removes it")
    owner: Owner | None = Field(None, description="sme, it_provider or web_host")


class ChangeErrorOut(Schema):
    detail: str = Field(description="What went wrong, in words a person can act on")
    errors: dict[str, str] = Field(description="Field name -> what is wrong with it")


# --- helpers ----------------------------------------------------------------------------------------------------

def _language(request: HttpRequest, lang: str | None) -> str:
    return normalize_language(lang or caller(request).language or get_language())


def item_out(item: ActionItem, lang: str) -> dict[str, Any]:
    view = item_view(load_questionnaire(), item, lang, timezone.localdate())
    return {
        "id": item.pk, "key": item.key, "rank": item.rank, "priority": item.priority, "severity": item.severity,
        "effort": item.effort, "owner": item.owner, "status": item.status, "status_reason": item.status_reason,
        "due_date": item.due_date, "checked_by_scans": item.checked_by_scans, "done_at": item.done_at,
        "confirmed_at": item.confirmed_at, "reopened_at": item.reopened_at, "reopen_note": item.reopen_note,
        "updated_at": item.updated_at, "lang": lang, "title": view.title, "why": view.why, "how": view.how,
        "steps": view.steps, "references": [{"title": r.title, "url": r.url} for r in view.references],
        "answers": [{"question_id": a.question_id, "answer": a.answer, "question": a.question,
                     "answer_label": a.answer_label} for a in view.answers],
        "findings": [{"key": f.key, "status": f.status, "domain": f.domain, "title": f.title} for f in view.findings],
    }


# --- operations -------------------------------------------------------------------------------------------------

@router.get("/companies/{company_id}/assessment", response=AssessmentOut, url_name="company_assessment",
            summary="The SME's latest submitted self-assessment",
            description="Maturity overall and per area (0-4) and the likely NIS2 status (guidance, not legal "
                        "advice), with texts in `lang` (default: your account's language, else the request's). "
                        "404 when the SME has not submitted one.")
def company_assessment(request: HttpRequest, company_id: uuid.UUID,
                       lang: Query[Language | None] = None) -> dict[str, Any]:
    company = company_or_404(caller(request), company_id)
    assessment = latest_submitted_assessment(company)
    if assessment is None:
        raise Http404
    note_results_viewed(request, company, "self-assessment")
    language = _language(request, lang)
    q = load_questionnaire()
    nis2 = assess_nis2(Profile.from_dict(assessment.profile or {}), q)
    scores = assessment.area_scores if isinstance(assessment.area_scores, dict) else {}
    areas = [{"area": area_id, "title": q.areas[area_id].text(language).title if area_id in q.areas else area_id,
              "score": score, "level": level_of(score)}
             for area_id, score in sorted(scores.items(),
                                          key=lambda kv: q.areas[kv[0]].order if kv[0] in q.areas else 999)]
    level = level_of(assessment.overall)
    return {
        "id": assessment.id, "submitted_at": assessment.submitted_at,
        "questionnaire_version": assessment.questionnaire_version, "lang": language, "overall": assessment.overall,
        "level": level, "level_name": None if level is None else methodology_text(f"level.{level}", language),
        "areas": areas,
        "nis2": {"scope": nis2.scope, "size": nis2.size, "size_estimated": nis2.size_estimated,
                 "sector": nis2.sector, "reasons": [reason_text(r, language, q) for r in nis2.reasons]},
    }


@router.get("/companies/{company_id}/action-plan", response=list[ActionItemOut], url_name="company_action_plan",
            summary="The SME's action plan, do-first first",
            description="The items the latest answers and scans still produce (done and accepted ones too), "
                        "ranked by risk reduced per unit of effort, with texts in `lang`. Filter with `status` "
                        "and `owner`.")
@paginate(Page)
def company_action_plan(request: HttpRequest, company_id: uuid.UUID, lang: Query[Language | None] = None,
                        status: Query[ItemStatus | None] = None,
                        owner: Query[Owner | None] = None) -> list[dict[str, Any]]:
    company = company_or_404(caller(request), company_id)
    note_results_viewed(request, company, "action plan")
    language = _language(request, lang)
    items: QuerySet[ActionItem] = ActionItem.objects.filter(company=company, active=True).order_by("rank", "pk")
    if status:
        items = items.filter(status=status)
    if owner:
        items = items.filter(owner=owner)
    return [item_out(item, language) for item in items]


@router.post("/companies/{company_id}/action-plan/{item_id}", response={200: ActionItemOut, 422: ChangeErrorOut},
             url_name="action_item_update_api", summary="Change an item's status, due date, owner or reason",
             description="For the SME's owners and members. Send only what changes. Marking an item done records "
                         "when; a later scan then confirms or reopens it. `accepted` (risk accepted) needs a "
                         "reason. Invalid values answer 422 with the reason per field.")
def action_item_update_api(request: HttpRequest, company_id: uuid.UUID, item_id: int, payload: ActionItemIn,
                           lang: Query[Language | None] = None) -> Status[dict[str, Any]]:
    user = caller(request)
    company = company_or_404(user, company_id, need="act")
    item = ActionItem.objects.filter(company=company, pk=item_id).first()
    if item is None:
        raise Http404
    sent = payload.model_fields_set
    changes: dict[str, Any] = {
        "status": payload.status if payload.status is not None else UNSET,
        "status_reason": payload.status_reason if payload.status_reason is not None else UNSET,
        "due_date": payload.due_date if "due_date" in sent else UNSET,
        "owner": payload.owner if payload.owner is not None else UNSET,
    }
    try:
        update_item(item, user, **changes)
    except ItemChangeError as exc:
        return Status(422, {"detail": str(exc), "errors": exc.errors})
    return Status(200, item_out(item, _language(request, lang)))
