"""The fixes an SME should make first, across all its domains, in the reader's language.

The ranking is the CLI's (``smecyber.report.priorities.fix_priority``): one entry per problem (catalog keys
with the same title are one problem), the highest priority any domain gives it; a fix that helps more domains
comes first among equals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from smecyber.catalog import load_catalog, ui_text
from smecyber.catalog.findings import Reference
from smecyber.report.priorities import catalog_effort, fix_priority

STATUS_ORDER = {"fail": 0, "warn": 1, "error": 2, "info": 3, "pass": 4}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "none": 4}


@dataclass(frozen=True, slots=True)
class FindingText:
    """A finding key's catalog text; a key the catalog no longer knows still shows, by its key."""

    key: str
    title: str
    why: str
    how: str
    effort: str
    effort_label: str
    references: tuple[Reference, ...] = ()


def finding_text(key: str, lang: str) -> FindingText:
    try:
        entry = load_catalog().entry(key, lang)
    except KeyError:
        return FindingText(key, key, "", "", "medium", ui_text("effort.medium", lang))
    return FindingText(key, entry.title, entry.why, entry.how, entry.effort, ui_text(f"effort.{entry.effort}", lang),
                       entry.references)


@dataclass(frozen=True, slots=True)
class Fix:
    text: FindingText
    status: str
    status_label: str
    severity: str
    priority: float
    domains: tuple[str, ...]


def _effort(key: str) -> str:
    try:
        return catalog_effort(key)
    except KeyError:
        return "medium"


def top_fixes(findings: Iterable[tuple[str, str, str, str]], lang: str, limit: int = 5) -> list[Fix]:
    """Rank ``(key, status, severity, domain name)`` tuples (fail/warn findings of the latest scans)."""
    best: dict[str, tuple[float, str, str]] = {}  # key -> (priority, status, severity)
    domains: dict[str, set[str]] = {}
    efforts: dict[str, str] = {}
    for key, status, severity, domain in findings:
        effort = efforts.get(key) or efforts.setdefault(key, _effort(key))
        priority = fix_priority(status, severity, effort)
        if priority is None:
            continue
        domains.setdefault(key, set()).add(domain)
        if key not in best or priority > best[key][0]:
            best[key] = (priority, status, severity)
    # Two checks may find the same problem (web.hsts and the Observatory's header test both see a missing
    # HSTS header): keys with the same English title are one fix, shown once with all their domains.
    merged: dict[str, str] = {}  # English title -> the key shown
    for key in sorted(best, key=lambda k: (-best[k][0], k)):
        shown = merged.setdefault(finding_text(key, "en").title, key)
        if shown != key:
            domains[shown] |= domains.pop(key)
            del best[key]
    ranked = sorted(best, key=lambda k: (-best[k][0], -len(domains[k]), k))[:limit]
    return [
        Fix(finding_text(key, lang), best[key][1], ui_text(f"status.{best[key][1]}", lang), best[key][2],
            best[key][0], tuple(sorted(domains[key])))
        for key in ranked
    ]
