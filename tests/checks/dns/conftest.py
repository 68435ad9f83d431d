"""Fixtures for DNS check tests: a scripted resolver on loopback and a way to run one check against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smecyber.checks.config import ScanConfig
from smecyber.checks.context import DomainContext, ScanContext
from smecyber.checks.model import Finding
from smecyber.checks.registry import CheckFunc

from .fake_dns import FakeDns


@pytest.fixture
def fake_dns() -> Iterator[FakeDns]:
    with FakeDns() as server:
        yield server


async def run_check(check: CheckFunc, domain: str, server: FakeDns, *, allow_loopback: bool = True) -> list[Finding]:
    config = ScanConfig.build([domain], nameservers=[server.nameserver], allow_loopback=allow_loopback,
                              areas="dns", timeout=1)
    async with ScanContext(config) as sctx:
        dctx = DomainContext(sctx, config.domains[0])
        try:
            return await check(dctx)
        finally:
            dctx.close()


def keys(findings: list[Finding]) -> set[str]:
    return {f.key for f in findings}
