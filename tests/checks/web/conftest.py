"""Fixtures for the web checks: loopback web servers on ports 80/443 and a scan context pinned to them.

Servers listen on 127.0.0.231 (normal and misbehaving cases) and 127.0.0.232 (TLS reset); every case host
resolves to one of them through a stub resolver, so no DNS query and no non-loopback traffic happens.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smecyber.checks.config import ScanConfig, Timeouts
from smecyber.checks.context import DomainContext, ScanContext
from smecyber.checks.model import Finding
from smecyber.checks.net import Resolved

from ._webserver import Case, ObsServer, make_pki

ADDRESS = "127.0.0.231"
RESET_ADDRESS = "127.0.0.232"
SECURITY_TXT = "Contact: mailto:security@{host}\nExpires: 2099-01-01T00:00:00Z\nCanonical: https://{host}/.well-known/security.txt\n"
GOOD = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains", "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def _cases() -> list[Case]:
    good_txt = SECURITY_TXT.format(host="good.obs.test")
    return [
        Case("good", headers=GOOD, paths={"/.well-known/security.txt": (200, "text/plain; charset=utf-8", good_txt)}),
        Case("no-hsts", headers={"X-Frame-Options": "DENY"}),
        Case("hsts-short", headers={"Strict-Transport-Security": "max-age=3600"}),
        Case("hsts-zero", headers={"Strict-Transport-Security": "max-age=0"}),
        Case("hsts-bad", headers={"Strict-Transport-Security": "max-age=1; max-age=2"}),
        Case("no-redirect", http="serve", headers=GOOD),
        Case("redirect-other", http="redirect_other", headers=GOOD),
        Case("redirect-http-first", http="redirect_http_first", headers=GOOD),
        Case("http-closed", http="close", headers=GOOD),
        Case("loop", headers=GOOD, loop=True),
        Case("untrusted", zone="elsewhere.test", headers=GOOD),
        Case("no-https", https=False, http="serve"),
        Case("slow", behaviour="slow_body", http="serve", https=False),
        Case("huge", behaviour="huge_header"),
        Case("sectxt-expired", headers=GOOD, paths={"/.well-known/security.txt": (
            200, "text/plain", "Contact: mailto:a@b.test\nExpires: 2020-01-01T00:00:00Z\n")}),
        Case("sectxt-html", headers=GOOD, paths={"/.well-known/security.txt": (200, "text/html", "<html></html>")}),
        Case("sectxt-no-contact", headers=GOOD, paths={"/.well-known/security.txt": (
            200, "text/plain", "Expires: 2099-01-01T00:00:00Z\n")}),
        Case("sectxt-wrong-type", headers=GOOD, paths={"/.well-known/security.txt": (
            200, "application/octet-stream", SECURITY_TXT.format(host="sectxt-wrong-type.obs.test"))}),
        Case("sectxt-legacy", headers=GOOD, paths={
            "/.well-known/security.txt": (404, "text/plain", "not found"),
            "/security.txt": (200, "text/plain", SECURITY_TXT.format(host="sectxt-legacy.obs.test"))}),
        Case("sectxt-untrusted", zone="elsewhere.test", headers=GOOD, paths={"/.well-known/security.txt": (
            200, "text/plain", SECURITY_TXT.format(host="sectxt-untrusted.elsewhere.test"))}),
    ]


@dataclass
class WebLab:
    ca_file: Path
    cases: dict[str, Case]

    def host(self, name: str) -> str:
        return self.cases[name].host


class _Thread:
    """Runs the servers on their own event loop, so any test loop can use them."""

    def __init__(self, servers: list[ObsServer]) -> None:
        self.loop = asyncio.new_event_loop()
        self.servers = servers
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> _Thread:
        self.thread.start()
        for s in self.servers:
            asyncio.run_coroutine_threadsafe(s.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop_all() -> None:
            for s in self.servers:
                s.close_now()
            current = asyncio.current_task()
            handlers = [t for t in asyncio.all_tasks() if t is not current]
            for t in handlers:  # e.g. the one-byte-per-second handler, still dripping
                t.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop_all(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="session")
def web_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebLab]:
    pki = make_pki(tmp_path_factory.mktemp("webpki"))
    cases = _cases()
    reset = Case("reset", http="serve")
    servers = [ObsServer(ADDRESS, cases, pki), ObsServer(RESET_ADDRESS, [reset], pki, reset_tls=True)]
    with _Thread(servers):
        yield WebLab(pki[0], {c.name: c for c in [*cases, reset]})


Check = Callable[[DomainContext], Awaitable[list[Finding]]]


async def run_check(lab: WebLab, check: Check, name: str, *, operation: float = 10.0) -> list[Finding]:
    """Run one check against one case host, resolving every name to the test servers."""
    host = lab.host(name)
    config = ScanConfig.build([host], nameservers=["127.0.0.1:5399"], ca_file=lab.ca_file, allow_loopback=True)
    config = ScanConfig(**{**{f: getattr(config, f) for f in config.__dataclass_fields__},
                           "timeouts": Timeouts(dns=1.0, connect=2.0, operation=operation, total=60.0)})
    async with ScanContext(config) as sctx:
        async def resolve(h: str) -> Resolved:
            return Resolved(h, [RESET_ADDRESS if h.startswith("reset.") else ADDRESS])

        sctx.resolver.resolve = resolve  # type: ignore[method-assign]
        dctx = DomainContext(sctx, host)
        try:
            return await check(dctx)
        finally:
            dctx.close()


def keys(findings: list[Finding]) -> list[str]:
    return [f.key for f in findings]
