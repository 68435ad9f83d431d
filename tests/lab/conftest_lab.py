"""The session-scoped ``lab`` fixture: one started lab for the whole test run.

tests/conftest.py imports it (``from tests.lab.conftest_lab import lab``). The lab picks a free address
block (127.100-199.0.0/16), so several test runs and a person's `smecyber lab` can run side by side.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan
from smecyber.checks.model import DomainResult
from smecyber.lab.lab import Lab
from smecyber.lab.spec import load_domains

REQUIRED = {"knotd": "knot", "unbound": "unbound", "ldns-signzone": "ldnsutils"}


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    missing = sorted({pkg for binary, pkg in REQUIRED.items() if shutil.which(binary) is None})
    if missing:
        pytest.fail(f"the lab needs the Debian packages {', '.join(missing)} "
                    f"(apt-get install -y {' '.join(missing)})", pytrace=False)
    with Lab() as started:
        yield started


@dataclass
class LabScan:
    results: dict[str, DomainResult]
    config: ScanConfig
    wall_seconds: float


def scan_lab(lab: Lab, depth: str, domains: list[str] | None = None) -> LabScan:
    """Scan lab domains (all by default) in one engine call, as a person would with `smecyber scan`."""
    names = domains or [s.domain for s in load_domains()]
    config = ScanConfig.build(names, nameservers=[lab.nameserver], ca_file=lab.ca_file, allow_loopback=True,
                              depth=depth, concurrency=len(names))
    start = time.monotonic()
    results, _ = asyncio.run(scan(config))
    return LabScan({r.domain: r for r in results}, config, time.monotonic() - start)


@pytest.fixture(scope="session")
def lab_scan(lab: Lab) -> LabScan:
    """Every lab domain, deep: shared by the verdict tests and the sweep-equals-deep test."""
    return scan_lab(lab, "deep")
