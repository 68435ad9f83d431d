"""A campaign's overview for its coordinators (status, responses, and once closed the protected figures) and its
evidence pack (CSV, XLSX, PDF) — both read only ``statistics.campaign_statistics()``."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from smecyber.accounts import audit
from smecyber.accounts.models import AuditEvent, User
from smecyber.accounts.permissions import programme_or_404
from smecyber.catalog.languages import normalize_language
from smecyber.reports import formatting
from smecyber.reports.pdf import attachment_header
from smecyber.reports.suppression import min_group
from smecyber.stats import DIMENSIONS, ProtectedCube

from . import exports
from .models import Campaign
from .services import template_of
from .statistics import (
    CellFilter,
    FilterError,
    breakdown,
    campaign_statistics,
    default_indicator,
    describe_cell,
    dimension_label,
    hidden_text,
    indicator_choices,
    indicator_label,
    indicators_of,
    official_comparison,
    parse_filter,
    question_figures,
    response_count,
    universe_of,
    value_label,
)


def campaign_or_404(user: User, campaign_id: object) -> Campaign:
    """The campaign if ``user`` coordinates its programme, else 404."""
    try:
        campaign = Campaign.objects.select_related("programme").get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    programme_or_404(user, campaign.programme_id)
    return campaign


def _lang() -> str:
    return normalize_language(translation.get_language())


def figures_context(campaign: Campaign, protected: ProtectedCube, cell: CellFilter, indicator: str,
                    lang: str) -> dict[str, object]:
    """What the overview shows of a closed campaign for one filter cell and one breakdown indicator."""
    template = template_of(campaign)
    questions = question_figures(campaign, protected, cell, lang)
    question_charts = [(q, exports.question_chart(q, f"q-{q.id}")) for q in questions if not q.hidden]
    question_text, option = indicator_label(template, indicator, lang)
    breakdowns = []
    for d in DIMENSIONS:
        rows = [(r.label, r.figure) for r in breakdown(campaign, protected, indicator, d, cell, lang)]
        title = _("%(question)s — %(option)s, by %(dimension)s") % {
            "question": question_text, "option": option, "dimension": dimension_label(d).lower()}
        chart = exports.breakdown_chart(rows, chart_id=f"b-{d}", title=title, heading=dimension_label(d))
        breakdowns.append((d, chart))
    universe = universe_of(campaign)
    selects = [
        {"name": d, "label": dimension_label(d), "selected": cell.query_value(d),
         "options": [("all", _("all"))] + [(v, value_label(template, d, v, lang)) for v in universe[d]]}
        for d in DIMENSIONS
    ]
    cell_n = protected.figure(*cell.key)
    return {
        "cell": cell,
        "cell_text": describe_cell(template, cell, lang),
        "cell_n": None if cell_n is None else cell_n.n,
        "cell_n_text": "" if cell_n is None else formatting.count(cell_n.n),
        "question_charts": question_charts,
        "breakdowns": breakdowns,
        "indicator": indicator,
        "indicator_text": f"{question_text} — {option}",
        "indicator_choices": indicator_choices(campaign, lang),
        "selects": selects,
        "comparison": official_comparison(campaign, protected, cell, lang),
    }


@never_cache
@login_required
def campaign_overview(request: HttpRequest, campaign_id: uuid.UUID) -> HttpResponse:
    campaign = campaign_or_404(request.user, campaign_id)  # type: ignore[arg-type]
    lang = _lang()
    protected = campaign_statistics(campaign)
    context: dict[str, object] = {
        "campaign": campaign,
        "programme": campaign.programme,
        "responses": formatting.count(response_count(campaign)),
        "min_group": min_group(),
        "methodology": exports.methodology(min_group()),
        "hidden_text": hidden_text(),
        "closed": protected is not None,
    }
    if protected is None:
        return render(request, "surveys/overview.html", context)
    try:
        cell = parse_filter(campaign, request.GET)
        indicator = request.GET.get("indicator") or default_indicator(campaign)
        if indicator not in indicators_of(campaign):
            raise FilterError(_("Choose one of the answers offered for the breakdown."))
    except FilterError as exc:
        context["error"] = str(exc)
        return render(request, "surveys/overview.html", context, status=400)
    context.update(figures_context(campaign, protected, cell, indicator, lang))
    return render(request, "surveys/overview.html", context)


@never_cache
@login_required
def campaign_export(request: HttpRequest, campaign_id: uuid.UUID, fmt: str) -> HttpResponse:
    campaign = campaign_or_404(request.user, campaign_id)  # type: ignore[arg-type]
    protected = campaign_statistics(campaign)
    if protected is None:
        messages.warning(request, _("The evidence pack is made when the survey is closed: until then the figures "
                                    "would change with every response."))
        return redirect("campaign_overview", campaign_id=campaign.pk)
    lang = _lang()
    now = timezone.now()
    body = exports.build(fmt, campaign, protected, lang, now=now)
    audit.record(AuditEvent.Action.EXPORT, actor=request.user, programme=campaign.programme, request=request,  # type: ignore[arg-type]
                 target=campaign.title, detail={"what": "survey evidence pack", "format": fmt,
                                                "campaign": str(campaign.pk)})
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(exports.filename(campaign, fmt, now))
    return response
