"""The self-assessment parts of the SME report and dashboard: maturity per area, the peer benchmark, NIS2 and
CRA, and the action plan — plain data in the reader's language, built from stored rows (nothing is re-asked).

Scores are recomputed from the latest submitted assessment's answers and profile (``methodology.maturity``),
so the reasoning (which answers moved an area) is always at hand; the peer benchmark compares the overall
score stored at submission, which is what every peer's figure in the group is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company
from smecyber.assessments import services
from smecyber.assessments.models import ActionItem, Assessment
from smecyber.catalog import ui_text
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.methodology.benchmark import benchmark
from smecyber.methodology.cra import assess_cra
from smecyber.methodology.maturity import Maturity, level_of, score
from smecyber.methodology.nis2 import assess_nis2
from smecyber.methodology.plan import FINDING_PREFIX, PlanItem, item_text
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import number, reason_text, text

from . import charts, formatting

MOVES_SHOWN = 3  # the answers that cost an area most, per area
PLAN_SHOWN = 10  # the report's "do first" list
DASHBOARD_ITEMS = 3
CRA_WEAKEST = 3
OPEN_STATUSES = (ActionItem.Status.TODO, ActionItem.Status.DOING)
CLOSED_STATUSES = (ActionItem.Status.DONE, ActionItem.Status.ACCEPTED)
NIS2_DISCLAIMER = "nis2.disclaimer"
CRA_DISCLAIMER = "cra.disclaimer"


# --- maturity -----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MoveRow:
    """One answer that cost its area points: the question, the answer given and the points lost."""

    question: str
    answer: str
    lost: str  # "0.8" (the reader's decimal sign)


@dataclass(frozen=True, slots=True)
class AreaRow:
    id: str
    title: str
    score: float | None
    score_label: str  # "2.5", or "–" when every answer was "not applicable"
    level: int | None
    level_name: str
    applicable: int
    not_applicable: int
    moves: tuple[MoveRow, ...]


@dataclass(frozen=True, slots=True)
class MaturitySection:
    overall: float | None
    overall_label: str
    level: int | None
    level_name: str
    areas: tuple[AreaRow, ...]
    chart: charts.Chart
    applicable: int
    answered: int
    submitted_at: datetime | None
    levels: tuple[tuple[int, str], ...]  # every level with its name: what the numbers mean


def _score_label(value: float | None, lang: str) -> str:
    return "–" if value is None else number(value, lang)


def _level_name(level: int | None, lang: str) -> str:
    return "" if level is None else text(f"level.{level}", lang)


def _answer_label(q: Questionnaire, question_id: str, answer: str, lang: str) -> str:
    question = q.questions.get(question_id)
    step = q.scale_of(question).step(answer) if question is not None else None
    return step.text(lang).label if step is not None else answer


def maturity_section(q: Questionnaire, maturity: Maturity, lang: str, *,
                     submitted_at: datetime | None = None, chart_id: str = "maturity") -> MaturitySection:
    rows = []
    for area in maturity.areas:
        moves = tuple(
            MoveRow(q.questions[m.question].text(lang).question, _answer_label(q, m.question, m.answer, lang),
                    number(round(m.lost, 1), lang))
            for m in area.moves[:MOVES_SHOWN] if m.lost > 0 and m.question in q.questions
        )
        title = q.areas[area.area].text(lang).title if area.area in q.areas else area.area
        rows.append(AreaRow(area.area, title, area.score, _score_label(area.score, lang), area.level,
                            _level_name(area.level, lang), area.applicable, area.not_applicable, moves))
    overall_label = _score_label(maturity.overall, lang)
    level_name = _level_name(maturity.level, lang)
    not_scored = _("not scored: every answer was “not applicable”")
    bars = [charts.MaturityBar(_("Overall"), maturity.overall, overall_label if maturity.overall is not None
                               else not_scored, level_name, emphasis=True)]
    bars += [charts.MaturityBar(r.title, r.score, r.score_label if r.score is not None else not_scored, r.level_name)
             for r in rows]
    summary = "; ".join(f"{b.label}: {b.display}" for b in bars)
    chart = charts.maturity_chart(
        bars, chart_id=chart_id, title=_("Maturity per area (0 to 4)"),
        description=_("Maturity from 0 (not started) to 4 (fully in place), overall and per area: %(scores)s.")
        % {"scores": summary},
        label_heading=_("Area"), value_heading=_("Maturity (0–4)"), level_heading=_("Level"),
    )
    levels = tuple((level, text(f"level.{level}", lang)) for level in range(5))
    return MaturitySection(maturity.overall, overall_label, maturity.level, level_name, tuple(rows), chart,
                           maturity.applicable, maturity.answered, submitted_at, levels)


# --- peer benchmark -----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BenchmarkSection:
    shown: bool
    percentile: int | None
    group_size: int
    minimum: int
    reason: str  # texts.yaml key (benchmark.shown / too_few / no_score)
    sentence: str  # the reason in the reader's language, with the group size (and the minimum when hidden)
    position: str  # "Your position: 62 of 100 ..." ("" when hidden)


def benchmark_section(company: Company, overall: float | None, lang: str) -> BenchmarkSection:
    """Where the SME's stored overall score stands among the SMEs with its size band, sector and country."""
    minimum = int(settings.AGGREGATE_MIN_GROUP)
    result = benchmark(overall, services.group_scores(company), minimum)
    position = (text("benchmark.position", lang, percentile=str(result.percentile))
                if result.shown and result.percentile is not None else "")
    return BenchmarkSection(result.shown, result.percentile, result.group_size, result.minimum, result.reason,
                            text(result.reason, lang, **result.reason_params()), position)


# --- NIS2 and CRA -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Nis2Section:
    scope: str  # out | important | essential
    scope_name: str
    sector_title: str  # "" = not in a NIS2 sector
    reasons: tuple[str, ...]  # the reasoning, in order, without the disclaimer
    disclaimer: str


def nis2_section(q: Questionnaire, profile: Profile, lang: str) -> Nis2Section:
    result = assess_nis2(profile, q)
    reasons = tuple(reason_text(r, lang, q) for r in result.reasons if r.key != NIS2_DISCLAIMER)
    sector = q.nis2_sectors[result.sector].title(lang) if result.sector in q.nis2_sectors else ""
    return Nis2Section(result.scope, text(f"nis2.scope.{result.scope}", lang), sector, reasons,
                       text(NIS2_DISCLAIMER, lang))


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    date: date
    text: str
    in_force: bool


@dataclass(frozen=True, slots=True)
class CraGap:
    id: str  # Annex I item, e.g. "I.2.c"
    title: str
    coverage: str  # "25%"


@dataclass(frozen=True, slots=True)
class CraSection:
    reasons: tuple[str, ...]
    disclaimer: str
    milestones: tuple[MilestoneRow, ...]
    readiness: float | None  # 0..1
    readiness_label: str  # "62%", "–" when no answer covers any requirement
    weakest: tuple[CraGap, ...]  # the requirements the answers cover least


def cra_section(q: Questionnaire, profile: Profile, answers: dict[str, str], lang: str,
                today: date) -> CraSection | None:
    """``None`` when the CRA does not apply (the SME puts no software or connected product on the EU market)."""
    result = assess_cra(q, profile, answers, today)
    if not result.applies:
        return None
    reasons = tuple(reason_text(r, lang, q) for r in result.reasons if r.key != CRA_DISCLAIMER)
    disclaimer = text(CRA_DISCLAIMER, lang) if any(r.key == CRA_DISCLAIMER for r in result.reasons) else ""
    milestones = tuple(MilestoneRow(m.date, text(m.key, lang), m.in_force) for m in result.milestones)
    titles = q.frameworks.get("cra", {})
    scored = sorted((item for item in result.items if item.score is not None and item.score < 1),
                    key=lambda item: (item.score, item.id))
    weakest = tuple(CraGap(item.id, titles[item.id].title(lang) if item.id in titles else item.id,
                           formatting.percent(item.score or 0.0)) for item in scored[:CRA_WEAKEST])
    readiness_label = "–" if result.readiness is None else formatting.percent(result.readiness)
    return CraSection(reasons, disclaimer, milestones, result.readiness, readiness_label, weakest)


# --- the action plan ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlanRow:
    rank: int
    key: str
    title: str
    status: str
    status_label: str
    due_date: date | None
    overdue: bool
    owner_label: str
    effort_label: str
    reason: str  # why a risk was accepted ("" otherwise)


@dataclass(frozen=True, slots=True)
class PlanSection:
    top: tuple[PlanRow, ...]  # open items (to do, doing), do-first first
    more: int  # open items beyond ``top``
    closed: tuple[PlanRow, ...]  # done or risk accepted
    counts: dict[str, int] = field(default_factory=dict)  # status -> active items

    @property
    def empty(self) -> bool:
        return not self.top and not self.closed


def _plan_item(row: ActionItem) -> PlanItem:
    """Enough of a ``PlanItem`` for ``item_text``: the stored row knows its key and its sources."""
    kind = "finding" if row.key.startswith(FINDING_PREFIX) else "recommendation"
    sources = row.sources if isinstance(row.sources, dict) else {}
    questions = tuple(tuple(pair) for pair in sources.get("questions", ()) if len(pair) == 2)
    findings = tuple(tuple(f) for f in sources.get("findings", ()) if len(f) == 3)
    return PlanItem(row.key, kind, row.severity, 2, row.effort, row.owner, 0.0, row.priority,
                    questions, findings, row.checked_by_scans)  # type: ignore[arg-type]


def item_title(q: Questionnaire, row: ActionItem, lang: str) -> str:
    return item_text(q, _plan_item(row), lang)[0]


def plan_row(q: Questionnaire, row: ActionItem, lang: str, today: date, rank: int | None = None) -> PlanRow:
    effort = ui_text(f"effort.{row.effort}", lang) if row.effort in ("low", "medium", "high") else row.effort
    overdue = row.due_date is not None and row.due_date < today and row.status in OPEN_STATUSES
    return PlanRow(rank if rank is not None else row.rank, row.key, item_title(q, row, lang), row.status,
                   text(f"status.{row.status}", lang), row.due_date, overdue, text(f"owner.{row.owner}", lang),
                   effort, row.status_reason if row.status == ActionItem.Status.ACCEPTED else "")


def plan_section(company: Company, q: Questionnaire, lang: str, today: date, limit: int = PLAN_SHOWN) -> PlanSection:
    """The active items of the SME's plan (one query): the first ``limit`` open ones, how many more, and the
    done or accepted ones."""
    rows = list(company.action_items.filter(active=True).order_by("rank", "pk"))
    open_rows = [r for r in rows if r.status in OPEN_STATUSES]
    closed_rows = [r for r in rows if r.status in CLOSED_STATUSES]
    # numbered 1..n among the open items: what the reader works through
    top = tuple(plan_row(q, r, lang, today, rank=n) for n, r in enumerate(open_rows[:limit], start=1))
    closed = tuple(plan_row(q, r, lang, today) for r in closed_rows)
    counts = dict(Counter(r.status for r in rows))
    return PlanSection(top, max(0, len(open_rows) - limit), closed, counts)


# --- everything the report shows ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReportSections:
    assessment: Assessment | None  # the latest submitted one
    maturity: MaturitySection | None
    benchmark: BenchmarkSection | None
    nis2: Nis2Section | None
    cra: CraSection | None
    plan: PlanSection


def report_sections(company: Company, lang: str, today: date | None = None) -> ReportSections:
    """The report's self-assessment sections. Without a submitted assessment only the action plan (from the
    scans' findings, when there is one)."""
    today = today or timezone.localdate()
    q = services.questionnaire()
    assessment = services.latest_submitted(company)
    plan = plan_section(company, q, lang, today)
    if assessment is None:
        return ReportSections(None, None, None, None, None, plan)
    profile = services.profile_of(assessment)
    answers = services.answers_of(assessment)
    maturity = score(q, profile, answers)
    return ReportSections(
        assessment=assessment,
        maturity=maturity_section(q, maturity, lang, submitted_at=assessment.submitted_at),
        benchmark=benchmark_section(company, assessment.overall, lang),
        nis2=nis2_section(q, profile, lang),
        cra=cra_section(q, profile, answers, lang, today),
        plan=plan,
    )


# --- the dashboard's cards ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DashboardCards:
    assessment_id: object | None  # the latest submitted assessment; None = not done yet
    submitted_at: datetime | None
    overall_label: str
    level_name: str
    draft: bool  # an assessment is being filled in
    top: tuple[PlanRow, ...]
    counts: tuple[tuple[str, str, int], ...]  # (status, label, active items) in status order
    open_count: int

    @property
    def done(self) -> bool:
        return self.submitted_at is not None

    @property
    def has_plan(self) -> bool:
        return any(n for _s, _l, n in self.counts)


def dashboard_cards(company: Company, lang: str, today: date | None = None) -> DashboardCards:
    """The self-assessment and action plan cards: a few cheap queries, never cached (they change with every
    submission and every item someone updates)."""
    today = today or timezone.localdate()
    latest = (company.assessments.filter(status=Assessment.Status.SUBMITTED)
              .order_by("-submitted_at", "-started_at").only("id", "overall", "submitted_at").first())
    draft = latest is None and company.assessments.filter(status=Assessment.Status.DRAFT).exists()
    overall = latest.overall if latest is not None else None
    level = level_of(overall)
    active = company.action_items.filter(active=True)
    by_status: dict[str, int] = dict(active.order_by().values_list("status").annotate(n=Count("id")))
    top_rows = list(active.filter(status__in=OPEN_STATUSES).order_by("rank", "pk")[:DASHBOARD_ITEMS])
    top: tuple[PlanRow, ...] = ()
    if top_rows:
        q = services.questionnaire()
        top = tuple(plan_row(q, r, lang, today, rank=n) for n, r in enumerate(top_rows, start=1))
    counts = tuple((status, text(f"status.{status}", lang), by_status.get(status, 0))
                   for status in ActionItem.Status.values)
    if latest is None:
        return DashboardCards(None, None, "", "", draft, top, counts, sum(by_status.get(s, 0) for s in OPEN_STATUSES))
    return DashboardCards(latest.pk, latest.submitted_at, _score_label(overall, lang), _level_name(level, lang),
                          draft, top, counts, sum(by_status.get(s, 0) for s in OPEN_STATUSES))
