"""The evidence pack of a closed campaign: CSV, XLSX and PDF, built from its protected statistics only.

Pure functions of the campaign and its ``ProtectedCube`` (``statistics.campaign_statistics``): the web export
and ``smecyber survey export`` call the same ``build()``. A hidden cell has no numbers in the cube, so no output
can carry one: its rows say "hidden" and leave every number empty.

* CSV: every cell of the cube (all respondents, each country, sector and size band, and every combination) ×
  every indicator, by id (the wording is in the XLSX); UTF-8 with a BOM so spreadsheet programs read it right.
* XLSX: Methodology, Questions (wording in the reader's language), Figures (all respondents), Breakdowns (each
  country, sector and size band) and Official comparison; numbers are stored as numbers.
* PDF: methodology, suppression rule, sample sizes, each question's chart with its table, the official
  comparison and the questions' wording.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from smecyber.reports import charts, formatting
from smecyber.stats import ALL, DIMENSIONS, ProtectedCube

from .models import Campaign
from .services import questions_of, template_of
from .statistics import (
    CellFilter,
    Figure,
    QuestionFigures,
    describe_cell,
    dimension_label,
    figure_of,
    hidden_text,
    indicator_questions,
    number_text,
    official_comparison,
    option_label,
    percent_text,
    question_figures,
    sample_sizes,
    universe_of,
    value_label,
)

FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# ids only (the XLSX's Questions sheet has the wording): 100,000 rows of repeated wording would be most of the file
CSV_HEADER = ("country", "sector", "size_band", "question", "option", "n", "count", "percent", "ci_low", "ci_high",
              "hidden")
LABEL_LIMIT = 25  # characters of a label that fit left of the bars (13 px); the table has it in full


# --- texts shared by the page and every document --------------------------------------------------------------

def methodology(minimum: int) -> list[str]:
    """How the figures are made, in plain words (the page, the XLSX and the PDF say the same)."""
    return [
        _("Who answered: the companies that chose to answer the survey, anonymously through a link or as members "
          "of the programme. They are not a random sample, so the figures describe the respondents, not every "
          "company of the region."),
        _("Each figure is the share of the responses in a group (all respondents, one country, sector or size "
          "band, or a combination) that chose an answer. Every question had to be answered, so all figures of a "
          "group are out of the same number of responses, n, which is given beside every figure. Where several "
          "answers were allowed, the shares add up to more than 100%%.") % {},
        _("The 95%% confidence interval (Wilson score interval) shows how precise a share is: if the respondents "
          "were a random sample, intervals made this way would contain the true share in 95 of 100 surveys. "
          "Small groups give wide intervals.") % {},
        _("Figures are published only after the survey is closed. While it is open every new response changes "
          "them, and comparing two looks would show what the newest respondent answered."),
        suppression_rule(minimum),
    ]


def suppression_rule(minimum: int) -> str:
    return _("No figure is shown, exported or returned by the API for a group of fewer than %(n)s responses, "
             "empty groups included. Other groups are hidden too wherever a hidden group could otherwise be worked "
             "out from the figures that are shown, for example by subtracting the shown countries from the total. "
             "A hidden figure says so instead of giving a number, and the page, the API and the CSV, XLSX and PDF "
             "files all show the same protected figures.") % {"n": minimum}


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"


def _table_cells(figure: Figure) -> tuple[str, ...]:
    if figure.hidden:
        return (hidden_text(), "", "", "")
    return (percent_text(figure.percent), f"{number_text(figure.ci_low or 0.0)}–{percent_text(figure.ci_high)}",
            formatting.count(figure.count or 0), formatting.count(figure.n or 0))


def _heads(first: str) -> tuple[str, ...]:
    return (first, _("Share"), _("95%% confidence interval") % {}, _("Responses that chose it"), _("Responses (n)"))


def _bar(label: str, figure: Figure) -> charts.Bar:
    return charts.Bar(_short(label), figure.percent, _("hidden") if figure.hidden else percent_text(figure.percent))


def question_chart(question: QuestionFigures, chart_id: str) -> charts.Chart:
    """One question's answers as bars (share of the group's responses); the table alternative has the interval,
    the count and n beside every share."""
    description = (_("Share of the %(n)s responses that chose each answer.") % {"n": formatting.count(question.n or 0)}
                   if not question.hidden else hidden_text())
    chart = charts.bar_chart([_bar(f.label, f) for f in question.options], chart_id=chart_id, title=question.text,
                             description=description, label_heading=_("Answer"), value_heading=_("Share"))
    return dataclasses.replace(chart, head=_heads(_("Answer")),
                               rows=[(f.label, *_table_cells(f)) for f in question.options])


def breakdown_chart(rows: list[tuple[str, Figure]], *, chart_id: str, title: str, heading: str) -> charts.Chart:
    chart = charts.bar_chart([_bar(label, f) for label, f in rows], chart_id=chart_id, title=title,
                             description=title, label_heading=heading, value_heading=_("Share"))
    return dataclasses.replace(chart, head=_heads(heading), rows=[(label, *_table_cells(f)) for label, f in rows])


# --- the cells in a stable order ------------------------------------------------------------------------------

def ordered_cells(campaign: Campaign) -> list[CellFilter]:
    """All respondents first, then each single dimension's values, then the combinations (universe order)."""
    universe = universe_of(campaign)
    cells = []
    for c in (ALL, *universe["country"]):
        for s in (ALL, *universe["sector"]):
            for z in (ALL, *universe["size_band"]):
                cells.append(CellFilter(c, s, z))
    return sorted(cells, key=lambda cell: sum(cell.value(d) != ALL for d in DIMENSIONS))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def figure_rows(campaign: Campaign, protected: ProtectedCube, lang: str,
                cells: list[CellFilter] | None = None) -> Iterator[tuple[object, ...]]:
    """(country, sector, size band, question id, option id, question, option, n, count, percent, ci_low,
    ci_high, hidden) for every cell (``cells``, default all) × every indicator; hidden cells with no numbers."""
    questions = indicator_questions(campaign)
    labels = []
    for q in questions:
        text = q.texts.get(lang).question
        labels += [(q.id, o, text, option_label(q, o, lang)) for o in (*q.options, *(["any"] if q.has_any else []))]
    for cell in cells if cells is not None else ordered_cells(campaign):
        figures = protected.figure(*cell.key)
        for qid, oid, text, label in labels:
            f = figure_of(figures, f"{qid}.{oid}", label)
            values = [cell.query_value(d) for d in DIMENSIONS]
            if f.hidden:
                yield (*values, qid, oid, text, label, None, None, None, None, None, True)
            else:
                yield (*values, qid, oid, text, label, f.n, f.count, _round(f.percent), _round(f.ci_low),
                       _round(f.ci_high), False)


# --- CSV ------------------------------------------------------------------------------------------------------

def evidence_csv(campaign: Campaign, protected: ProtectedCube, lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in figure_rows(campaign, protected, lang):
        *values, hidden = row
        cells = (*values[:5], *values[7:])  # without the question's and the option's wording
        writer.writerow([*("" if v is None else v for v in cells), "yes" if hidden else "no"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- XLSX -----------------------------------------------------------------------------------------------------

def evidence_xlsx(campaign: Campaign, protected: ProtectedCube, lang: str, now: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    template = template_of(campaign)
    book = Workbook()
    sheet = book.active
    sheet.title = "Methodology"
    overall = protected.figure()
    rows: list[tuple[object, ...]] = [
        (campaign.title,),
        (_("Programme"), campaign.programme.name),
        (_("Closed on"), formatting.day(campaign.closed_at) if campaign.closed_at else ""),
        (_("Responses (n)"), overall.n if overall is not None else hidden_text()),
        (_("Smallest group shown"), protected.minimum),
        (_("Made on"), formatting.day(now)),
        (),
        *((p,) for p in methodology(protected.minimum)),
        (),
        (_("Every combination of country, sector and size band is in the CSV file of the evidence pack."),),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110
    sheet.column_dimensions["B"].width = 30
    for cell in sheet["A"][7:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    questions = book.create_sheet("Questions")
    questions.append([_("Question id"), _("Question"), _("Kind"), _("Answer id"), _("Answer")])
    for q in questions_of(campaign):
        kind = _("one answer") if q.kind == "single" else _("one or more answers")
        for o in q.options:
            questions.append([q.id, q.texts.get(lang).question, kind, o, q.option_label(o, lang)])

    head = [_("Question id"), _("Question"), _("Answer id"), _("Answer"), _("Responses (n)"),
            _("Responses that chose it"), _("Share (%%)") % {}, _("95%% CI low (%%)") % {},
            _("95%% CI high (%%)") % {}, _("Hidden")]
    figures = book.create_sheet("Figures")
    figures.append([_("All respondents")])
    figures.append(head)
    for row in figure_rows(campaign, protected, lang, [CellFilter()]):
        figures.append(_xlsx_row(row[3:]))

    breakdowns = book.create_sheet("Breakdowns")
    breakdowns.append([_("Dimension"), _("Value"), *head])
    single = [c for c in ordered_cells(campaign) if sum(c.value(d) != ALL for d in DIMENSIONS) == 1]
    for row in figure_rows(campaign, protected, lang, single):
        dimension = next(d for i, d in enumerate(DIMENSIONS) if row[i] != "all")
        value = row[DIMENSIONS.index(dimension)]
        breakdowns.append([dimension_label(dimension), value_label(template, dimension, str(value), lang),
                           *_xlsx_row(row[3:])])

    comparison = official_comparison(campaign, protected, CellFilter(), lang)
    official = book.create_sheet("Official comparison")
    official.append([_("Indicator"), _("Question"), _("Answer"), _("Our responses (n)"), _("Our share (%%)") % {},
                     _("95%% CI low (%%)") % {}, _("95%% CI high (%%)") % {},
                     *(f"{s.publisher}: {s.title} ({s.year}) (%)" for s in comparison.sources)])
    for r in comparison.rows:
        ours = r.ours
        numbers = ([hidden_text(), None, None, None] if ours.hidden else
                   [ours.n, _round(ours.percent), _round(ours.ci_low), _round(ours.ci_high)])
        official.append([r.indicator, r.question, r.label, *numbers,
                         *(r.official.get(s.id) for s in comparison.sources)])
    official.append([])
    for s in comparison.sources:
        official.append([f"{s.publisher}: {s.title} ({s.year})", s.url])
        official.append([s.population])

    for ws in (questions, figures, breakdowns, official):
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
    for cell in figures[2]:
        cell.font = bold
    figures.freeze_panes = "A3"
    for ws, widths in ((questions, (18, 70, 20, 16, 50)), (figures, (18, 60, 16, 40, 14, 14, 12, 14, 14, 50)),
                       (breakdowns, (12, 24, 18, 60, 16, 40, 14, 14, 12, 14, 14, 50)),
                       (official, (26, 60, 40, 16, 14, 14, 14, 30, 30))):
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
    for ws in (figures, breakdowns, official):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_row(values: tuple[object, ...]) -> list[object]:
    """question id, option id, question, option, numbers..., hidden -> the sheets' column order."""
    qid, oid, question, option, *numbers, hidden = values
    return [qid, question, oid, option, *numbers, hidden_text() if hidden else None]


# --- PDF ------------------------------------------------------------------------------------------------------

def pdf_context(campaign: Campaign, protected: ProtectedCube, lang: str, now: datetime) -> dict[str, object]:
    cell = CellFilter()
    template = template_of(campaign)
    questions = question_figures(campaign, protected, cell, lang)
    overall = protected.figure()
    sizes = [(dimension_label(d), [(label, None if n is None else formatting.count(n))
                                   for label, n in sample_sizes(campaign, protected, d, lang)])
             for d in DIMENSIONS]
    wording = [
        {"id": q.id, "text": q.texts.get(lang).question, "help": q.texts.get(lang).help or "",
         "kind": q.kind, "options": [q.option_label(o, lang) for o in q.options]}
        for q in questions_of(campaign)
    ]
    return {
        "campaign": campaign,
        "programme": campaign.programme,
        "generated_at": now,
        "n": None if overall is None else formatting.count(overall.n),
        "min_group": protected.minimum,
        "methodology": methodology(protected.minimum),
        "hidden_text": hidden_text(),
        "cell_text": describe_cell(template, cell, lang),
        "question_charts": [(q, question_chart(q, f"q-{q.id}")) for q in questions if not q.hidden],
        "sample_sizes": sizes,
        "comparison": official_comparison(campaign, protected, cell, lang),
        "wording": wording,
    }


def evidence_pdf(campaign: Campaign, protected: ProtectedCube, lang: str, now: datetime) -> bytes:
    from smecyber.reports.pdf import render_pdf

    html = render_to_string("surveys/evidence_pdf.html", pdf_context(campaign, protected, lang, now))
    return render_pdf(html, company_name=campaign.title, when=now)


# --- one entry point ------------------------------------------------------------------------------------------

def build(fmt: str, campaign: Campaign, protected: ProtectedCube, lang: str, *, now: datetime | None = None) -> bytes:
    """The evidence pack's ``fmt`` document in ``lang`` (texts of the catalog and of the platform)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    now = now or timezone.now()
    with translation.override(lang):
        if fmt == "csv":
            return evidence_csv(campaign, protected, lang)
        if fmt == "xlsx":
            return evidence_xlsx(campaign, protected, lang, now)
        return evidence_pdf(campaign, protected, lang, now)


def filename(campaign: Campaign, fmt: str, when: datetime) -> str:
    """ASCII only: e.g. smecyber-survey-needs-survey-2026-2026-05-04.xlsx."""
    slug = slugify(campaign.title)[:60].strip("-") or "campaign"
    return f"smecyber-survey-{slug}-{timezone.localtime(when):%Y-%m-%d}.{fmt}"


__all__ = ["CONTENT_TYPES", "FORMATS", "breakdown_chart", "build", "filename", "methodology", "question_chart",
           "suppression_rule"]
