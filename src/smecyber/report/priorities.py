"""Which findings to fix first: risk reduced per unit of effort, failures before warnings."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import load_catalog
from ..checks.model import DomainResult, Finding, Status

SEVERITY_WEIGHT = {"critical": 5, "high": 4, "medium": 3, "low": 2, "none": 1}
EFFORT_COST = {"low": 1, "medium": 2, "high": 4}
STATUS_WEIGHT = {Status.FAIL: 2.0, Status.WARN: 1.0}


@dataclass(frozen=True, slots=True)
class Fix:
    finding: Finding
    effort: str
    priority: float


def top_fixes(result: DomainResult, limit: int = 5) -> list[Fix]:
    """The fail/warn findings ranked by (status × severity) / effort, one per catalog key."""
    catalog = load_catalog()
    best: dict[str, Fix] = {}
    for f in result.findings:
        weight = STATUS_WEIGHT.get(f.status)
        if weight is None:
            continue
        effort = catalog.entry(f.key, "en").effort
        prio = weight * SEVERITY_WEIGHT.get(str(f.severity), 1) / EFFORT_COST.get(effort, 2)
        current = best.get(f.key)
        if current is None or prio > current.priority:
            best[f.key] = Fix(f, effort, prio)
    ranked = sorted(best.values(), key=lambda x: (-x.priority, x.finding.key))
    return ranked[:limit]
