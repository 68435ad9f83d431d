"""Which findings to fix first: risk reduced per unit of effort, failures before warnings.

``fix_priority`` is the one rule; ``top_fixes`` applies it to one scanned domain (the CLI) and the platform's
reports apply it to stored findings across an SME's domains (``smecyber.reports.fixes``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import load_catalog
from ..checks.model import DomainResult, Finding, Status

SEVERITY_WEIGHT = {"critical": 5, "high": 4, "medium": 3, "low": 2, "none": 1}
EFFORT_COST = {"low": 1, "medium": 2, "high": 4}
STATUS_WEIGHT: dict[str, float] = {Status.FAIL: 2.0, Status.WARN: 1.0}  # Status is a StrEnum: "fail" matches


def fix_priority(status: str, severity: str, effort: str) -> float | None:
    """(status × severity) / effort, or ``None`` for a finding that asks for no fix (pass, info, error)."""
    weight = STATUS_WEIGHT.get(status)
    if weight is None:
        return None
    return weight * SEVERITY_WEIGHT.get(str(severity), 1) / EFFORT_COST.get(effort, 2)


def catalog_effort(key: str) -> str:
    """The effort the catalog gives ``key`` (language-independent)."""
    return load_catalog().entry(key, "en").effort


@dataclass(frozen=True, slots=True)
class Fix:
    finding: Finding
    effort: str
    priority: float


def top_fixes(result: DomainResult, limit: int = 5) -> list[Fix]:
    """The fail/warn findings ranked by (status × severity) / effort, one per catalog key."""
    best: dict[str, Fix] = {}
    for f in result.findings:
        if f.status not in STATUS_WEIGHT:
            continue
        effort = catalog_effort(f.key)
        prio = fix_priority(f.status, str(f.severity), effort)
        if prio is None:
            continue
        current = best.get(f.key)
        if current is None or prio > current.priority:
            best[f.key] = Fix(f, effort, prio)
    ranked = sorted(best.values(), key=lambda x: (-x.priority, x.finding.key))
    return ranked[:limit]
