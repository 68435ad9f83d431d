"""Needs-survey campaigns of a programme and a closed campaign's protected figures (coordinators only)."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from smecyber.catalog.languages import normalize_language
from smecyber.stats import DIMENSIONS
from smecyber.surveys.models import Campaign
from smecyber.surveys.statistics import (
    FilterError,
    campaign_statistics,
    hidden_text,
    parse_filter,
    question_figures,
)
from smecyber.surveys.statistics_views import campaign_or_404

from .lookups import caller, programme_or_404
from .pagination import Page
from .schemas import ErrorOut, Language

router = Router(tags=["needs surveys"])


class CampaignOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    title: str
    status: str = Field(description="draft, open or closed; figures exist only once closed")
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    responses: int = Field(description="Number of responses (the total only)")

    @staticmethod
    def resolve_responses(obj: Campaign) -> int:
        return obj.n_responses  # type: ignore[attr-defined,no-any-return]  (annotated by the list)


class CellOut(Schema):
    country: str = Field(description="A country code, or \"all\"")
    sector: str = Field(description="A NACE section letter, or \"all\"")
    size_band: str = Field(description="micro, small, medium, large, or \"all\"")


class FigureOut(Schema):
    indicator: str = Field(description="\"question.option\", or \"question.any\": at least one answer but none")
    option: str
    label: str
    hidden: bool = Field(description="True: the figure is not published; every number is null")
    reason: str | None = Field(description="Why the figure is hidden (null when shown)")
    n: int | None = Field(description="Responses in the group")
    count: int | None = Field(description="Responses in the group that chose the answer")
    percent: float | None
    ci_low: float | None = Field(description="95% confidence interval (Wilson), lower bound in percent")
    ci_high: float | None = Field(description="95% confidence interval (Wilson), upper bound in percent")


class QuestionOut(Schema):
    id: str
    question: str
    kind: str = Field(description="single (one answer) or multi (one or more)")
    figures: list[FigureOut]


class StatisticsOut(Schema):
    campaign_id: uuid.UUID
    title: str
    lang: str
    minimum: int = Field(description="No figure is published for a group of fewer responses than this")
    filter: CellOut
    hidden: bool = Field(description="True: this group's figures are not published (all figures are null)")
    reason: str | None
    n: int | None = Field(description="Responses in the group (null when hidden)")
    questions: list[QuestionOut]


@router.get("/programmes/{programme_id}/campaigns", response=list[CampaignOut], url_name="programme_campaign_list",
            summary="The programme's needs-survey campaigns, newest first")
@paginate(Page)
def programme_campaign_list(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[Campaign]:
    programme = programme_or_404(caller(request), programme_id)
    return (Campaign.objects.filter(programme=programme).annotate(n_responses=Count("responses"))
            .order_by("-created_at", "id"))


@router.get("/campaigns/{campaign_id}/statistics", response={200: StatisticsOut, 400: ErrorOut, 409: ErrorOut},
            url_name="campaign_statistics", summary="A closed campaign's protected figures for one group",
            description="For the programme's coordinators. The group is chosen with `country`, `sector` and "
                        "`size_band` (each a value of the campaign's question, or empty / \"all\"). Answers 409 "
                        "while the campaign is not closed (its figures would change with every response). A group "
                        "of fewer than `minimum` responses, and any group from which a hidden one could be worked "
                        "out, is hidden: its figures are null with a reason. Unknown values answer 400.")
def campaign_statistics_api(request: HttpRequest, campaign_id: uuid.UUID, country: Query[str | None] = None,
                            sector: Query[str | None] = None, size_band: Query[str | None] = None,
                            lang: Query[Language | None] = None) -> Status[Any]:
    user = caller(request)
    campaign = campaign_or_404(user, campaign_id)
    language = normalize_language(lang or user.language or translation.get_language())
    with translation.override(language):
        protected = campaign_statistics(campaign)
        if protected is None:
            return Status(409, {"detail": _("The figures are published when the survey is closed: while it is "
                                            "open they would change with every response.")})
        try:
            cell = parse_filter(campaign, {"country": country, "sector": sector, "size_band": size_band})
        except FilterError as exc:
            return Status(400, {"detail": str(exc)})
        reason = hidden_text()
        questions = question_figures(campaign, protected, cell, language)
        figures = protected.figure(*cell.key)
        body: dict[str, Any] = {
            "campaign_id": campaign.pk, "title": campaign.title, "lang": language, "minimum": protected.minimum,
            "filter": {d: cell.query_value(d) for d in DIMENSIONS},
            "hidden": figures is None, "reason": reason if figures is None else None,
            "n": None if figures is None else figures.n,
            "questions": [
                {"id": q.id, "question": q.text, "kind": q.kind, "figures": [
                    {"indicator": f.indicator, "option": f.indicator.rpartition(".")[2], "label": f.label,
                     "hidden": f.hidden, "reason": reason if f.hidden else None, "n": f.n, "count": f.count,
                     "percent": f.percent, "ci_low": f.ci_low, "ci_high": f.ci_high}
                    for f in q.options]}
                for q in questions
            ],
        }
    return Status(200, body)
