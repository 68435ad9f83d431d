"""Stored scans turned into what the pages show: grades with what cost points, findings with catalog text.

Texts come from the catalog in the reader's language (the active Django language): finding title, why
and how, and the short labels of statuses, severities and score groups.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smecyber.catalog import load_catalog, ui_text
from smecyber.catalog.languages import normalize_language

from .models import ScanFinding

GRADE_ORDER = ("overall", "web_headers", "tls", "web", "mail", "dns")
GROUP_ORDER = ("web_headers", "tls", "web", "mail", "dns")
STATUS_ORDER = {"fail": 0, "warn": 1, "error": 2, "info": 3, "pass": 4}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "none": 4}
OTHER_GROUP = "other"


def language() -> str:
    return normalize_language(get_language())


def grade_css(letter: str | None) -> str:
    """The class app.css colours a letter with (the letter itself is always shown too)."""
    if not letter:
        return "grade"
    return "grade grade-A+" if letter == "A+" else f"grade grade-{letter[0]}"


def _ui(key: str, lang: str, default: str) -> str:
    try:
        return ui_text(key, lang)
    except KeyError:
        return default


def group_label(group: str, lang: str | None = None) -> str:
    return _ui(f"group.{group}", lang or language(), group)


def finding_title(key: str, lang: str | None = None) -> str:
    try:
        return load_catalog().entry(key, lang or language()).title
    except KeyError:
        return key


@dataclass(slots=True)
class GradeRow:
    group: str
    label: str
    letter: str
    score: int | None
    css: str
    note: str | None
    costs: list[tuple[str, int]] = field(default_factory=list)  # (finding title, points), biggest cost first


def grade_rows(grades: dict[str, Any]) -> list[GradeRow]:
    lang = language()
    rows = []
    for group in GRADE_ORDER:
        g = grades.get(group)
        if not isinstance(g, dict):
            continue
        costs: dict[str, int] = {}
        for d in g.get("deductions") or []:
            if isinstance(d, dict) and d.get("points", 0) < 0:
                title = finding_title(str(d.get("key")), lang)
                costs[title] = costs.get(title, 0) + int(d["points"])
        letter = str(g.get("letter") or "")
        rows.append(GradeRow(group, group_label(group, lang), letter, g.get("score"), grade_css(letter),
                             g.get("note"), sorted(costs.items(), key=lambda kv: (kv[1], kv[0]))))
    return rows


@dataclass(slots=True)
class FindingView:
    key: str
    status: str
    status_label: str
    severity: str
    severity_label: str
    title: str
    why: str
    how: str
    subject: str
    points: int
    evidence: str
    problem: bool


@dataclass(slots=True)
class FindingGroup:
    group: str
    label: str
    findings: list[FindingView]

    @property
    def problem_count(self) -> int:
        return sum(1 for f in self.findings if f.problem)

    @property
    def shown(self) -> list[FindingView]:
        """Shown in full: problems and checks that could not complete."""
        return [f for f in self.findings if f.status in ("fail", "warn", "error")]

    @property
    def folded(self) -> list[FindingView]:
        """Passed and informational results, folded away under the problems."""
        return [f for f in self.findings if f.status not in ("fail", "warn", "error")]


def finding_view(f: ScanFinding, lang: str) -> FindingView:
    try:
        entry = load_catalog().entry(f.key, lang)
        title, why, how = entry.title, entry.why, entry.how
    except KeyError:
        title, why, how = f.key, "", ""
    return FindingView(
        key=f.key, status=f.status, status_label=_ui(f"status.{f.status}", lang, f.status),
        severity=f.severity, severity_label=_ui(f"severity.{f.severity}", lang, f.severity),
        title=title, why=why, how=how, subject=f.subject, points=f.points,
        evidence=json.dumps(f.evidence, indent=2, ensure_ascii=False, sort_keys=True) if f.evidence else "",
        problem=f.status in ("fail", "warn"),
    )


def finding_groups(findings: Iterable[ScanFinding]) -> list[FindingGroup]:
    """Findings by score group, each group's problems first (failures, then warnings, most severe first)."""
    lang = language()
    by_group: dict[str, list[FindingView]] = {}
    for f in findings:
        group = f.score_group if f.score_group in GROUP_ORDER else OTHER_GROUP
        by_group.setdefault(group, []).append(finding_view(f, lang))
    out = []
    for group in (*GROUP_ORDER, OTHER_GROUP):
        items = by_group.get(group)
        if not items:
            continue
        items.sort(key=lambda v: (STATUS_ORDER.get(v.status, 9), SEVERITY_ORDER.get(v.severity, 9), v.title))
        label = group_label(group, lang) if group != OTHER_GROUP else _("Other checks")
        out.append(FindingGroup(group, label, items))
    return out


def finding_lines(findings: Iterable[ScanFinding]) -> list[dict[str, str]]:
    """Short lines for diff lists: title, what it applies to, status. Two checks can report one problem
    under one title (the header grade and the HSTS check both miss HSTS): it is listed once."""
    lang = language()
    lines: dict[tuple[str, str, str], dict[str, str]] = {}
    for f in findings:
        title = finding_title(f.key, lang)
        lines.setdefault((title, f.subject, f.status), {
            "title": title, "subject": f.subject, "status": f.status,
            "status_label": _ui(f"status.{f.status}", lang, f.status)})
    return list(lines.values())
