"""Everything the SME dashboard and the SME report show, read from stored scans (nothing re-scans)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smecyber.accounts.models import Company
from smecyber.assets.models import Domain
from smecyber.catalog import ui_text
from smecyber.checks.targets import unicode_name
from smecyber.scans.models import Scan, ScanStatus

from . import charts, formatting, queries
from .fixes import SEVERITY_ORDER, STATUS_ORDER, FindingText, Fix, finding_text, top_fixes
from .freshness import company_generation

# The overall grade first, then the parts it is made of (smecyber.checks.model.GRADE_KEYS).
GRADE_ORDER = ("overall", "web_headers", "tls", "web", "mail", "dns")
TREND_DAYS = 365
# An upper bound only: the key changes as soon as anything the overview reads does (freshness.py). It also
# bounds how long a scan older than TREND_DAYS may stay on the trend chart.
OVERVIEW_CACHE_SECONDS = 60 * 60
# Part of the cache key: bump it whenever CompanyOverview (or what it holds) changes shape, so a new release
# never unpickles an overview cached by the previous one.
OVERVIEW_FORMAT = 2
LABELS = ("why", "how", "references", "effort", "top_fixes", "evidence", "subject", "domain", "findings", "status",
          "severity", "no_findings", "grade", "score", "summary", "area")


@dataclass(frozen=True, slots=True)
class GradeCell:
    key: str
    label: str
    letter: str | None
    score: int | None


@dataclass(frozen=True, slots=True)
class FindingRow:
    text: FindingText
    status: str
    status_label: str
    severity: str
    severity_label: str
    subject: str
    evidence: str


@dataclass(slots=True)
class DomainRow:
    domain: Domain
    name: str  # Unicode form, as people read it
    latest: Scan | None  # latest done scan
    in_progress: Scan | None  # a queued or running scan
    grades: list[GradeCell]
    findings: list[FindingRow] = field(default_factory=list)

    @property
    def overall(self) -> GradeCell:
        return self.grades[0]


@dataclass(slots=True)
class CompanyOverview:
    company: Company
    lang: str
    domains: list[DomainRow]
    fixes: list[Fix]
    trend: charts.Chart | None
    history: list[Scan]
    grade_labels: list[str]
    labels: dict[str, str] = field(default_factory=dict)  # the CLI report's labels (ui.yaml), translated
    fails: int = 0
    warns: int = 0
    # Set when this overview is (or came from) the cached one: the same key then names its rendered HTML
    # (``{% cache %}`` in company_dashboard.html), which is exactly as fresh as the overview.
    cache_key: str | None = None

    @property
    def scanned(self) -> list[DomainRow]:
        return [d for d in self.domains if d.latest is not None]

    @property
    def weakest(self) -> DomainRow | None:
        graded = [d for d in self.scanned if d.overall.score is not None]
        return min(graded, key=lambda d: (d.overall.score, d.name)) if graded else None

    @property
    def findings_sentence(self) -> str:
        problems = ngettext("%(count)s problem to fix", "%(count)s problems to fix", self.fails) % {
            "count": formatting.count(self.fails)}
        warnings = ngettext("%(count)s warning", "%(count)s warnings", self.warns) % {
            "count": formatting.count(self.warns)}
        return _("We found %(problems)s and %(warnings)s.") % {"problems": problems, "warnings": warnings}

    @property
    def next_step(self) -> str | None:
        """What a new SME should do next: "add", "verify", "scan", "wait" (a scan runs) or ``None`` (done)."""
        if not self.domains:
            return "add"
        if self.scanned:
            return None
        if any(d.in_progress for d in self.domains):
            return "wait"
        if not any(d.domain.verified for d in self.domains):
            return "verify"
        return "scan"


def display_name(domain: Domain) -> str:
    if domain.display_name:
        return domain.display_name
    try:
        return unicode_name(domain.name)
    except Exception:  # a stored name the IDNA codec rejects is still shown, as stored
        return domain.name


def _grade_cells(grades: dict[str, Any], lang: str) -> list[GradeCell]:
    cells = []
    for key in GRADE_ORDER:
        grade = grades.get(key) if isinstance(grades, dict) else None
        letter = grade.get("letter") if isinstance(grade, dict) else None
        score = grade.get("score") if isinstance(grade, dict) else None
        cells.append(GradeCell(key, ui_text(f"group.{key}", lang), letter, score))
    return cells


def _evidence(evidence: Any) -> str:
    if not isinstance(evidence, dict) or not evidence:
        return ""
    return ", ".join(f"{k}={v}" for k, v in list(evidence.items())[:3])[:200]


def company_overview(company: Company, lang: str, *, with_findings: bool = False) -> CompanyOverview:
    """The SME's domains with their latest grades, its top fixes, trend and history (a fixed number of queries).

    ``with_findings`` adds each domain's fail/warn/error findings with their catalog text (the report).
    """
    rows: list[DomainRow] = []
    for d in queries.domains_with_latest_scans(company):
        latest = d.latest_done  # type: ignore[attr-defined]
        running = d.latest_any if d.latest_any and d.latest_any.status in (  # type: ignore[attr-defined]
            ScanStatus.QUEUED, ScanStatus.RUNNING) else None
        rows.append(DomainRow(d, display_name(d), latest, running, _grade_cells(latest.grades if latest else {}, lang)))

    by_scan = {row.latest.pk: row for row in rows if row.latest is not None}
    statuses = ("fail", "warn", "error") if with_findings else ("fail", "warn")
    findings = list(
        queries.problem_findings(list(by_scan), statuses).values_list("scan_id", "key", "status", "severity",
                                                                      "subject", "evidence")
        if by_scan else []
    )
    fixes = top_fixes(((key, status, severity, by_scan[scan_id].name)
                       for scan_id, key, status, severity, _s, _e in findings), lang)
    overview = CompanyOverview(company, lang, rows, fixes, None, [], [ui_text(f"group.{k}", lang) for k in GRADE_ORDER],
                               {name: ui_text(f"report.{name}", lang) for name in LABELS})
    overview.fails = sum(1 for f in findings if f[2] == "fail")
    overview.warns = sum(1 for f in findings if f[2] == "warn")
    if with_findings:
        texts: dict[str, FindingText] = {}
        for scan_id, key, status, severity, subject, evidence in findings:
            text = texts.get(key) or texts.setdefault(key, finding_text(key, lang))
            by_scan[scan_id].findings.append(FindingRow(
                text, status, ui_text(f"status.{status}", lang), severity,
                ui_text(f"severity.{severity}", lang) if severity in SEVERITY_ORDER else severity,
                subject or "", _evidence(evidence)))
        for row in rows:
            row.findings.sort(key=lambda f: (STATUS_ORDER.get(f.status, 9), SEVERITY_ORDER.get(f.severity, 9),
                                             f.text.title, f.subject))
    overview.trend = trend_chart(company, {r.domain.pk: r.name for r in rows})
    overview.history = queries.recent_scans(company)
    return overview


def trend_chart(company: Company, names: dict[object, str], chart_id: str = "trend") -> charts.Chart | None:
    """The overall score (0–100) of every done scan of the last year, one line per domain."""
    since = timezone.now() - timedelta(days=TREND_DAYS)
    series: dict[object, list[charts.Point]] = {}
    for domain, when, score in queries.score_history(company, since):
        label = formatting.count(score) if score is not None else "–"
        series.setdefault(domain.pk, []).append(charts.Point(when, score, label))
    if not series:
        return None
    lines = [charts.Series(names.get(pk, str(pk)), points) for pk, points in series.items()]
    lines.sort(key=lambda s: s.name)
    latest = "; ".join(
        _("%(domain)s: %(score)s on %(date)s") % {"domain": s.name, "score": s.points[-1].label,
                                                  "date": formatting.day(s.points[-1].when)}
        for s in lines
    )
    return charts.line_chart(
        lines,
        chart_id=chart_id,
        title=_("Overall score over time"),
        description=_("Overall score from 0 to 100 of each scan in the last 12 months, one line per domain. "
                      "Latest: %(latest)s.") % {"latest": latest},
        date_heading=_("Date"),
        value_heading=_("Overall score (0–100)"),
        series_heading=_("Domain"),
    )


def cached_company_overview(company: Company, lang: str) -> CompanyOverview:
    """``company_overview`` (without findings) for the dashboard, kept in the cache per SME and language until
    something it reads changes (``freshness.company_generation``).

    Only what the SME's data decides is cached; who looks at it (navigation, access, audit) is decided by the
    caller on every request. An overview with a scan in progress is not cached: a queued scan becomes running
    through an ``update()`` that sends no signal, and such an overview is short-lived anyway.
    """
    key = (f"reports:company-overview:{OVERVIEW_FORMAT}:{company.pk}:{company_generation(company.pk)}:{lang}:"
           f"{translation.get_language()}")
    stored = cache.get(key)
    if isinstance(stored, CompanyOverview):
        stored.company = company  # the row this request read (its current name), never a cached one
        return stored
    overview = company_overview(company, lang)
    if not any(row.in_progress for row in overview.domains):
        overview.cache_key = key
        cache.set(key, replace(overview, company=None), OVERVIEW_CACHE_SECONDS)
    return overview
