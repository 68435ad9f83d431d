"""A check's table of outcomes, and the one way to turn an outcome into a finding.

    OUT = Outcomes("web.hsts", "web", {"ok": (Status.PASS, Severity.NONE, 0), ...})
    OUT.finding("max_age_short", {"header": value})      # key "web.hsts.max_age_short"

Keeping status, severity and points per outcome in one table makes every score explainable at a glance, and
lets the catalog test read the keys a check can emit from the table (tests/catalog/key_collector.py).
"""

from __future__ import annotations

from typing import Any

from .model import Finding, Severity, Status

Verdict = tuple[Status, Severity, int]  # status, severity, points


class Outcomes:
    def __init__(self, check: str, score_group: str, table: dict[str, Verdict]) -> None:
        self.check = check
        self.score_group = score_group
        self.table = table

    def keys(self) -> list[str]:
        return [f"{self.check}.{outcome}" for outcome in self.table]

    def finding(self, outcome: str, evidence: dict[str, Any] | None = None, subject: str | None = None) -> Finding:
        status, severity, points = self.table[outcome]  # KeyError: an outcome the table does not know
        return Finding(check=self.check, key=f"{self.check}.{outcome}", status=status, severity=severity,
                       evidence=evidence or {}, points=points, score_group=self.score_group, subject=subject)
