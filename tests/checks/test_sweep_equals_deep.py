"""Where sweep depth runs a check, its verdict must equal deep depth's (issue 2, section 2)."""

from __future__ import annotations

import pytest

from smecyber.checks.registry import all_checks
from smecyber.lab.lab import Lab
from smecyber.lab.spec import load_domains
from tests.lab.conftest_lab import LabScan, scan_lab

# Hostile hosts are left out: their verdicts depend on when a timeout fires, not on the depth.
CALM = [s.domain for s in load_domains() if not s.hostile]
SWEEP_CHECKS = {c.id for c in all_checks() if c.sweep}
DEEP_ONLY = {c.id for c in all_checks() if not c.sweep}


@pytest.fixture(scope="module")
def sweep_scan(lab: Lab) -> LabScan:
    return scan_lab(lab, "sweep", CALM)


def test_sweep_leaves_out_exactly_the_deep_only_checks(sweep_scan: LabScan) -> None:
    ran = {f.check for r in sweep_scan.results.values() for f in r.findings}
    assert not ran & DEEP_ONLY
    assert DEEP_ONLY, "some checks (cipher enumeration, SMTP handshakes) are expected to be deep-only"


@pytest.mark.parametrize("domain", CALM)
def test_sweep_verdicts_equal_deep(lab_scan: LabScan, sweep_scan: LabScan, domain: str) -> None:
    def verdicts(scan: LabScan) -> set[tuple[str, str, str, str]]:
        return {(f.check, f.key, str(f.status), f.subject or "")
                for f in scan.results[domain].findings if f.check in SWEEP_CHECKS}

    deep, sweep = verdicts(lab_scan), verdicts(sweep_scan)
    assert sweep == deep, f"only in sweep: {sorted(sweep - deep)}\nonly in deep: {sorted(deep - sweep)}"
