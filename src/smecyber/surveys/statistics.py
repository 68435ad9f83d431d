"""A campaign's statistics: one GROUP BY over its responses, protected against disclosure, and the tables the
overview page, the API and the evidence pack show.

Figures exist only for a CLOSED campaign. While a campaign is open its figures would change with every response,
and two looks a few minutes apart would differ by exactly the newest respondent's answers; a closed campaign is
final, so its protected figures are computed once and cached.

Everything published reads ``campaign_statistics()`` (a ``ProtectedCube``: hidden cells carry no numbers at all),
so the page, the API, the CSV/XLSX/PDF exports and ``smecyber survey export`` can only ever show the same,
protected figures.

Indicators are "question.option" for every option of every included question, plus "question.any" (at least one
option other than the exclusive "none") for multi questions that have one. The three profile questions that are
the cube's dimensions (country, sector, size band) are not indicators: their counts in a cell are the sizes of the
cells below it, which the suppression governs; counting them again would give hidden cells' sizes away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import smecyber
from smecyber.catalog.survey_template import SurveyQuestion, SurveyTemplate, load_official_figures
from smecyber.reports.suppression import min_group
from smecyber.stats import ALL, DIMENSIONS, CellFigures, ProtectedCube, build_cube, protect

from . import bits as bitmap
from . import lookups  # noqa: F401  (the hasbit lookup; apps.py registers it too)
from .models import Campaign, Response
from .services import questions_of, template_of

CACHE_VERSION = 1
CACHE_SECONDS = 30 * 24 * 3600  # a closed campaign's figures never change; this only frees the space some day
ANY = "any"

Key = tuple[str, str, str]


class FilterError(ValueError):
    """A filter value the campaign does not know; ``str(error)`` says which, for the user."""


# --- the aggregate query --------------------------------------------------------------------------------------

def indicator_questions(campaign: Campaign) -> list[SurveyQuestion]:
    """The included questions that have indicators (every one but the three dimension questions), in order."""
    return [q for q in questions_of(campaign) if q.dimension is None]


def _option_filter(campaign: Campaign, qid: str, options: list[str] | tuple[str, ...]) -> Q:
    """Responses that chose at least one of ``options`` of question ``qid``: one ``hasbit`` per column."""
    masks: dict[str, int] = {}
    for oid in options:
        column, value = bitmap.column_and_value(campaign.bits[bitmap.key(qid, oid)])
        masks[column] = masks.get(column, 0) | value
    condition = Q()
    for column, mask in masks.items():
        condition |= Q(**{f"{column}__hasbit": mask})
    return condition


def indicator_filters(campaign: Campaign) -> list[tuple[str, Q]]:
    """(indicator, the responses it counts) for every indicator of the campaign, in question order."""
    plan: list[tuple[str, Q]] = []
    for q in indicator_questions(campaign):
        for oid in q.options:
            plan.append((f"{q.id}.{oid}", _option_filter(campaign, q.id, [oid])))
        if q.has_any:
            others = [o for o in q.options if o != q.exclusive]
            plan.append((f"{q.id}.{ANY}", _option_filter(campaign, q.id, others)))
    return plan


def indicators_of(campaign: Campaign) -> list[str]:
    return [name for name, _q in indicator_filters(campaign)]


def universe_of(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    """Every value of each dimension (the options of its question), so groups nobody answered for are cells too."""
    template = template_of(campaign)
    return {d: template.dimension_question(d).options for d in DIMENSIONS}


def campaign_rows(campaign: Campaign) -> list[tuple[str, str, str, int, dict[str, int]]]:
    """(country, sector, size band, responses, {indicator: count}) per finest cell with responses: ONE query,
    ``GROUP BY country, sector, size_band`` with a filtered COUNT per indicator."""
    plan = indicator_filters(campaign)
    aliases = {f"i{i}": Count("pk", filter=condition) for i, (_name, condition) in enumerate(plan)}
    query = (Response.objects.filter(campaign=campaign).order_by()
             .values_list("country", "sector", "size_band")
             .annotate(n=Count("pk"), **aliases))
    # The ORM writes the SQL; the cursor runs it. Counts are integers already, and the ORM's per-value
    # converters would cost a quarter of the query's time with 80 columns (bench/survey_overview.py).
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    known = universe_of(campaign)
    rows = []
    for country, sector, size_band, n, *counts in fetched:
        # a value outside the frozen question cannot come from submit_response; skip it rather than fail
        if country in known["country"] and sector in known["sector"] and size_band in known["size_band"]:
            rows.append((country, sector, size_band, n, {name: c for (name, _q), c in zip(plan, counts, strict=True)}))
    return rows


def _cache_key(campaign: Campaign, minimum: int) -> str:
    # the release in the key: a new release may compute (or pickle) the protected cube differently
    return f"surveys:statistics:v{CACHE_VERSION}:{smecyber.__version__}:{campaign.pk}:{minimum}"


def compute_statistics(campaign: Campaign, minimum: int | None = None) -> ProtectedCube:
    """The protected cube of the campaign's responses as they are now (no status check, no cache)."""
    minimum = min_group() if minimum is None else minimum
    cube = build_cube(campaign_rows(campaign), universe_of(campaign), indicators_of(campaign))
    return protect(cube, minimum)


def campaign_statistics(campaign: Campaign) -> ProtectedCube | None:
    """The protected figures of a CLOSED campaign (cached: they never change), else ``None``."""
    if campaign.status != Campaign.Status.CLOSED:
        return None
    minimum = min_group()
    key = _cache_key(campaign, minimum)
    protected = cache.get(key)
    if protected is None:
        protected = compute_statistics(campaign, minimum)
        cache.set(key, protected, CACHE_SECONDS)
    return protected


def forget_statistics(campaign: Campaign) -> None:
    cache.delete(_cache_key(campaign, min_group()))


def response_count(campaign: Campaign) -> int:
    """How many responses the campaign has (the total only: always shown, it says nothing about anyone)."""
    return Response.objects.filter(campaign=campaign).count()


# --- filters --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CellFilter:
    """One cell of the cube: a value or ``ALL`` per dimension."""

    country: str = ALL
    sector: str = ALL
    size_band: str = ALL

    @property
    def key(self) -> Key:
        return (self.country, self.sector, self.size_band)

    def value(self, dimension: str) -> str:
        return str(getattr(self, dimension))

    def with_value(self, dimension: str, value: str) -> CellFilter:
        values = {d: self.value(d) for d in DIMENSIONS}
        values[dimension] = value
        return CellFilter(**values)

    def query_value(self, dimension: str) -> str:
        """The value as a URL parameter: "all" for ``ALL``."""
        value = self.value(dimension)
        return "all" if value == ALL else value


def parse_filter(campaign: Campaign, params: Mapping[str, Any]) -> CellFilter:
    """The cell named by ``country``, ``sector`` and ``size_band`` (missing, empty or "all": every value);
    an unknown value raises ``FilterError``."""
    universe = universe_of(campaign)
    values = {}
    for d in DIMENSIONS:
        raw = params.get(d)
        value = "" if raw is None else str(raw).strip()
        if value in ("", "all"):
            values[d] = ALL
        elif value in universe[d]:
            values[d] = value
        else:
            raise FilterError(_("“%(value)s” is not one of the choices for %(dimension)s.") % {
                "value": value[:40], "dimension": dimension_label(d).lower()})
    return CellFilter(**values)


# --- labels ---------------------------------------------------------------------------------------------------

def dimension_label(dimension: str) -> str:
    return {"country": _("Country"), "sector": _("Sector"), "size_band": _("Size")}[dimension]


def value_label(template: SurveyTemplate, dimension: str, value: str, lang: str) -> str:
    if value == ALL:
        return _("all")
    return template.dimension_question(dimension).option_label(value, lang)


def describe_cell(template: SurveyTemplate, cell: CellFilter, lang: str) -> str:
    """e.g. "all respondents" or "Country: Sweden · Size: small"."""
    parts = [f"{dimension_label(d)}: {value_label(template, d, cell.value(d), lang)}"
             for d in DIMENSIONS if cell.value(d) != ALL]
    return " · ".join(parts) if parts else _("all respondents")


def option_label(question: SurveyQuestion, option: str, lang: str) -> str:
    if option == ANY:
        return _("At least one of these (not “%(none)s”)") % {
            "none": question.option_label(question.exclusive or "", lang)}
    return question.option_label(option, lang)


def indicator_label(template: SurveyTemplate, indicator: str, lang: str) -> tuple[str, str]:
    """(question wording, option label) of "question.option" / "question.any"."""
    qid, _dot, oid = indicator.rpartition(".")
    question = template.question(qid)
    return question.texts.get(lang).question, option_label(question, oid, lang)


def hidden_text() -> str:
    """Why a figure is not shown. Deliberately one reason for every hidden figure: telling the cells with fewer
    than the minimum apart from those hidden to protect them would narrow down what the hidden ones hold."""
    return _("hidden: fewer than %(n)s responses, or hidden so that a small group cannot be worked out") % {
        "n": min_group()}


# --- the tables -----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Figure:
    """One indicator in one cell: ``n`` responses, ``count`` of them chose it; all ``None`` when hidden."""

    indicator: str
    label: str
    n: int | None
    count: int | None
    percent: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def hidden(self) -> bool:
        return self.n is None


def figure_of(cell: CellFigures | None, indicator: str, label: str) -> Figure:
    if cell is None:
        return Figure(indicator, label, None, None, None, None, None)
    f = cell[indicator]
    return Figure(indicator, label, cell.n, f.count, f.percent, f.ci_low, f.ci_high)


@dataclass(frozen=True, slots=True)
class QuestionFigures:
    id: str
    text: str
    kind: str
    n: int | None  # responses in the cell (every response answers every included question); None: hidden
    options: list[Figure]

    @property
    def hidden(self) -> bool:
        return self.n is None


def question_figures(campaign: Campaign, protected: ProtectedCube, cell: CellFilter,
                     lang: str) -> list[QuestionFigures]:
    """Every included question's options (and "at least one" where it applies) in ``cell``."""
    figures = protected.figure(*cell.key)
    result = []
    for q in indicator_questions(campaign):
        options = [*q.options, *([ANY] if q.has_any else [])]
        result.append(QuestionFigures(
            q.id, q.texts.get(lang).question, q.kind, None if figures is None else figures.n,
            [figure_of(figures, f"{q.id}.{o}", option_label(q, o, lang)) for o in options]))
    return result


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    value: str  # the dimension's value, or ALL for the total row
    label: str
    figure: Figure


def breakdown(campaign: Campaign, protected: ProtectedCube, indicator: str, dimension: str, cell: CellFilter,
              lang: str) -> list[BreakdownRow]:
    """``indicator`` for every value of ``dimension`` (the other two dimensions as in ``cell``), then the total."""
    template = template_of(campaign)
    rows = []
    for value in (*universe_of(campaign)[dimension], ALL):
        key = cell.with_value(dimension, value).key
        label = value_label(template, dimension, value, lang) if value != ALL else _("Total")
        rows.append(BreakdownRow(value, label, figure_of(protected.figure(*key), indicator, label)))
    return rows


def sample_sizes(campaign: Campaign, protected: ProtectedCube, dimension: str,
                 lang: str) -> list[tuple[str, int | None]]:
    """(value label, responses or None when hidden) for every value of ``dimension`` over all respondents."""
    template = template_of(campaign)
    result = []
    for value in universe_of(campaign)[dimension]:
        figures = protected.figure(*CellFilter().with_value(dimension, value).key)
        result.append((value_label(template, dimension, value, lang), None if figures is None else figures.n))
    return result


def indicator_choices(campaign: Campaign, lang: str) -> list[tuple[str, str]]:
    """(indicator, "Question — option") for the breakdown's select, in question order."""
    template = template_of(campaign)
    choices = []
    for name in indicators_of(campaign):
        question, option = indicator_label(template, name, lang)
        choices.append((name, f"{question} — {option}"))
    return choices


def default_indicator(campaign: Campaign) -> str:
    names = indicators_of(campaign)
    for preferred in ("measures.any", "incidents.any"):
        if preferred in names:
            return preferred
    return names[0] if names else ""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int
    url: str
    population: str


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    indicator: str
    question: str
    label: str
    ours: Figure
    official: dict[str, float]  # source id -> percent (a source without the indicator is left out)
    by_source: tuple[float | None, ...]  # the official percent per source, in the order of Comparison.sources

    @property
    def ours_text(self) -> str:
        return figure_text(self.ours)

    @property
    def official_texts(self) -> list[str]:
        return [percent_text(v) if v is not None else "–" for v in self.by_source]


@dataclass(frozen=True, slots=True)
class Comparison:
    sources: list[Source]
    rows: list[ComparisonRow]


def official_comparison(campaign: Campaign, protected: ProtectedCube, cell: CellFilter, lang: str) -> Comparison:
    """Our figure in ``cell`` beside every official figure for the same indicator (those the campaign asks)."""
    official = load_official_figures()
    template = template_of(campaign)
    ours = protected.figure(*cell.key)
    asked = set(indicators_of(campaign))
    names: list[str] = []
    for values in official.figures.values():
        names += [name for name in values if name in asked and name not in names]
    order = {name: i for i, name in enumerate(indicators_of(campaign))}
    sources = [Source(s.id, s.title, s.publisher, s.year, s.url, s.population.get(lang).note)
               for s in official.sources.values()]
    rows = []
    for name in sorted(names, key=order.__getitem__):
        question, label = indicator_label(template, name, lang)
        values = official.for_indicator(name)
        rows.append(ComparisonRow(name, question, label, figure_of(ours, name, label), values,
                                  tuple(values.get(s.id) for s in sources)))
    return Comparison(sources, rows)


# --- numbers as text ------------------------------------------------------------------------------------------

def number_text(value: float) -> str:
    """One decimal in the reader's language (45.2 / 45,2), rounded (number_format alone cuts digits off)."""
    return formats.number_format(round(value, 1), 1, force_grouping=True)


def percent_text(value: float | None) -> str:
    """e.g. "45.2%" in English, "45,2 %" in Swedish; "" for nothing."""
    if value is None:
        return ""
    # the same message as reports.formatting.percent, so its translations apply
    return pgettext("percentage", "%(number)s%%") % {"number": number_text(value)}


def figure_text(figure: Figure) -> str:
    """e.g. "62.5% (95% CI 40.9–80.0%, n = 16)", or why it is hidden."""
    if figure.hidden:
        return hidden_text()
    return _("%(percent)s (95%% CI %(low)s–%(high)s, n = %(n)s)") % {
        "percent": percent_text(figure.percent), "low": number_text(figure.ci_low or 0.0),
        "high": percent_text(figure.ci_high), "n": formats.number_format(figure.n, 0, force_grouping=True)}
