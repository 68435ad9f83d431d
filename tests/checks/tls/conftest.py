"""Fixtures for the TLS tests: a test CA and scan contexts whose resolver maps *.test names to loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smecyber.checks.config import Depth, ScanConfig, Timeouts
from smecyber.checks.context import DomainContext, ScanContext
from smecyber.checks.dns_client import parse_nameserver
from smecyber.checks.net import Resolved

from .tls_servers import LocalCA, make_ca


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    return make_ca(tmp_path_factory.mktemp("tls-ca"))


class StaticResolver:
    """Stands in for SafeResolver: answers from a table, never touches DNS."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    async def resolve(self, host: str) -> Resolved:
        host = host.lower().rstrip(".")
        if host in self.table:
            return Resolved(host, [self.table[host]])
        return Resolved(host, [], error="the name does not exist (NXDOMAIN)")


MakeCtx = Callable[..., DomainContext]


@pytest.fixture
def make_ctx(ca: LocalCA) -> Iterator[MakeCtx]:

    def factory(domain: str, table: dict[str, str], *, depth: str = "deep", operation: float = 5.0,
                ca_file: Path | None = None) -> DomainContext:
        config = ScanConfig(
            domains=(domain,), nameservers=(parse_nameserver("127.0.0.1:9"),), ca_file=ca_file or ca.pem_path,
            allow_loopback=True,
            depth=Depth(depth), timeouts=Timeouts(dns=1.0, connect=2.0, operation=operation, total=60.0),
        )
        sctx = ScanContext(config)
        sctx.resolver = StaticResolver(table)  # type: ignore[assignment]
        return DomainContext(sctx, domain)

    yield factory
