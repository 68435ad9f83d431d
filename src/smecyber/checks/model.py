"""The typed results every check produces: findings, area scores and the per-domain result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Area(StrEnum):
    """The areas a user can select with ``--areas``."""

    WEB = "web"
    MAIL = "mail"
    DNS = "dns"


# Grades reported per domain. ``web_headers`` is the Observatory-compatible header grade; the others are
# 0-100 scores computed from the points findings cost.
GRADE_KEYS = ("web_headers", "tls", "web", "mail", "dns", "overall")


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict of one check.

    ``check`` names the check module that produced it, ``key`` the catalog entry that explains it (title,
    why, how, references, mappings). ``evidence`` holds exactly what was read so a user can verify it;
    ``points`` is what the finding cost in its score group (``score_group``), so every grade is explainable.
    """

    check: str
    key: str
    status: Status
    severity: Severity = Severity.NONE
    evidence: dict[str, Any] = field(default_factory=dict)
    points: int = 0
    score_group: str | None = None
    subject: str | None = None  # e.g. the MX host or endpoint the finding is about

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "key": self.key,
            "status": str(self.status),
            "severity": str(self.severity),
            "subject": self.subject,
            "points": self.points,
            "score_group": self.score_group,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Grade:
    score: int
    letter: str
    # (finding key, points) pairs that moved this score, so the grade can be explained
    deductions: tuple[tuple[str, int], ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "letter": self.letter,
            "deductions": [{"key": k, "points": p} for k, p in self.deductions],
            "note": self.note,
        }


@dataclass(slots=True)
class DomainResult:
    domain: str  # A-label (punycode) form
    input_name: str  # what the user typed
    findings: list[Finding] = field(default_factory=list)
    grades: dict[str, Grade] = field(default_factory=dict)
    duration_s: float = 0.0
    error: str | None = None  # set when the domain could not be scanned at all

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "input": self.input_name,
            "error": self.error,
            "duration_seconds": round(self.duration_s, 3),
            "grades": {k: g.to_dict() for k, g in self.grades.items()},
            "findings": [f.to_dict() for f in self.findings],
        }
