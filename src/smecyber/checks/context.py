"""What a check receives: the domain, the scan's clients, and memoised facts shared between checks.

Checks that need the same expensive fact (the HTTPS response, the TLS handshake of an endpoint, the MX
set) ask for it through :meth:`DomainContext.memo` / :meth:`ScanContext.memo`, so it is computed once per
domain (or once per endpoint for the whole scan) however many checks read it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .config import Depth, ScanConfig
from .dns_client import DnsClient
from .net import HttpFetcher, SafeResolver

T = TypeVar("T")


class _Memo:
    def __init__(self) -> None:
        self._tasks: dict[Any, asyncio.Task[Any]] = {}

    async def get(self, key: Any, factory: Callable[[], Awaitable[T]]) -> T:
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(factory())
            self._tasks[key] = task
        # shield: one check being cancelled must not cancel the shared computation for the others
        return await asyncio.shield(task)

    def cancel_all(self) -> None:
        for task in self._tasks.values():
            task.cancel()


class ScanContext:
    """Everything shared by all domains of one scan. Use as an async context manager."""

    def __init__(self, config: ScanConfig) -> None:
        self.config = config
        self.dns = DnsClient(list(config.nameservers), timeout=config.timeouts.dns)
        self.resolver = SafeResolver(self.dns, config.allow_loopback)
        self.http = HttpFetcher(config, self.resolver)
        self._memo = _Memo()
        self.counters: dict[str, int] = {}  # e.g. tls_handshakes per endpoint, for benchmarks
        # CPU-heavy work in threads (sslyze's cipher enumeration, ~400 handshakes each) at most this many at
        # once: more would starve the event loop of the GIL and make unrelated requests time out.
        self.heavy_work = asyncio.Semaphore(max(2, os.cpu_count() or 2))

    async def __aenter__(self) -> ScanContext:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._memo.cancel_all()
        await self.http.aclose()

    async def memo(self, key: Any, factory: Callable[[], Awaitable[T]]) -> T:
        """Compute ``factory()`` once per scan for ``key`` (e.g. a TLS scan of one endpoint)."""
        return await self._memo.get(key, factory)

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n


class DomainContext:
    def __init__(self, scan: ScanContext, domain: str) -> None:
        self.scan = scan
        self.domain = domain
        self._memo = _Memo()

    @property
    def config(self) -> ScanConfig:
        return self.scan.config

    @property
    def dns(self) -> DnsClient:
        return self.scan.dns

    @property
    def resolver(self) -> SafeResolver:
        return self.scan.resolver

    @property
    def http(self) -> HttpFetcher:
        return self.scan.http

    @property
    def deep(self) -> bool:
        return self.config.depth is Depth.DEEP

    async def memo(self, key: Any, factory: Callable[[], Awaitable[T]]) -> T:
        """Compute ``factory()`` once for this domain (e.g. the HTTPS response of its home page)."""
        return await self._memo.get(key, factory)

    def close(self) -> None:
        self._memo.cancel_all()
