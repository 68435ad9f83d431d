"""The scanner against every lab domain: each domain's `expected` verdicts must be among the findings.

All lab domains are scanned in one engine call (deep depth), so the suite pays for the slow hostile hosts
once. Nothing is skipped: a check that does not exist yet fails the domains that expect it.
"""

from __future__ import annotations

import pytest

from smecyber.checks.model import Finding
from smecyber.lab.spec import DomainSpec, Expected, load_domains
from tests.lab.conftest_lab import LabScan

SPECS = load_domains()
# The scan of all lab domains at once must end well within one domain's budget (the hostile hosts are
# bounded by per-operation timeouts, not by the total budget).
WALL_BUDGET_SECONDS = 90.0


def _matches(f: Finding, e: Expected) -> bool:
    return (f.check == e.check and str(f.status) in e.status and (e.key is None or f.key == e.key)
            and (e.subject is None or f.subject == e.subject))


def _summary(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.check} {f.status} {f.key}" + (f" [{f.subject}]" if f.subject else "")
                     for f in findings)


def test_whole_lab_scan_within_budget(lab_scan: LabScan) -> None:
    assert lab_scan.wall_seconds < WALL_BUDGET_SECONDS


@pytest.mark.parametrize("spec", SPECS, ids=[s.domain for s in SPECS])
def test_domain_verdicts(lab_scan: LabScan, spec: DomainSpec) -> None:
    result = lab_scan.results[spec.domain]
    crashed = [f for f in result.findings if f.key in ("engine.check_error", "engine.budget_exceeded")]
    assert not crashed, f"{spec.domain}: checks crashed or ran out of time:\n{_summary(crashed)}\n" + "\n".join(
        f"  {f.check}: {f.evidence}" for f in crashed)
    assert result.duration_s <= lab_scan.config.timeouts.total
    missing = [e for e in spec.expected if not any(_matches(f, e) for f in result.findings)]
    assert not missing, (
        f"{spec.domain} ({spec.purpose}): expected verdicts not found:\n"
        + "\n".join(f"  {e.describe()}" for e in missing)
        + f"\nfindings were:\n{_summary(result.findings)}"
    )
    if spec.hostile:
        assert any(str(f.status) in ("error", "fail") for f in result.findings), (
            f"{spec.domain} is hostile but no check reported error or fail:\n{_summary(result.findings)}")


GRADED = [s for s in SPECS if s.expected_grades]


@pytest.mark.parametrize("spec", GRADED, ids=[s.domain for s in GRADED])
def test_domain_grades(lab_scan: LabScan, spec: DomainSpec) -> None:
    grades = lab_scan.results[spec.domain].grades
    for group, want in spec.expected_grades.items():
        assert group in grades, f"{spec.domain}: no {group} grade"
        got = grades[group]
        if want.score is not None:
            assert got.score == want.score, f"{spec.domain} {group}: {got.score} {got.deductions}"
        if want.letter is not None:
            assert got.letter == want.letter, f"{spec.domain} {group}: {got.letter}"
