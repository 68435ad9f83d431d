"""Runs the selected checks over many domains, concurrently, within the time budget."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from .config import ScanConfig
from .context import DomainContext, ScanContext
from .model import DomainResult, Finding, Severity, Status
from .registry import CheckSpec, selected_checks
from .scoring import compute_grades

ProgressCallback = Callable[[DomainResult], None]
# Called with (domain, check id) each time one check of one domain has finished (live progress on the page).
CheckProgressCallback = Callable[[str, str], None]
# The check id of findings the engine makes about a domain as a whole (not a registered check).
ENGINE_CHECK_ID = "engine.scan"


async def scan(
    config: ScanConfig, progress: ProgressCallback | None = None, *, inputs: dict[str, str] | None = None,
    check_progress: CheckProgressCallback | None = None,
) -> tuple[list[DomainResult], dict[str, int]]:
    """Scan every domain of ``config``. Returns the results in input order and the scan's counters."""
    checks = selected_checks(config.areas, config.depth.value == "deep")
    sem = asyncio.Semaphore(config.concurrency)
    async with ScanContext(config) as sctx:

        async def one(domain: str) -> DomainResult:
            async with sem:
                result = await scan_domain(sctx, domain, checks, check_progress)
            result.input_name = (inputs or {}).get(domain, domain)
            if progress:
                progress(result)
            return result

        results = await asyncio.gather(*(one(d) for d in config.domains))
        counters = dict(sctx.counters)
        counters["dns_queries"] = sctx.dns.queries_sent
        counters["http_requests"] = sctx.http.requests_sent
    return list(results), counters


def selected_check_count(config: ScanConfig) -> int:
    """How many checks one domain's scan runs (the denominator of live progress)."""
    return len(selected_checks(config.areas, config.depth.value == "deep"))


async def scan_domain(sctx: ScanContext, domain: str, checks: list[CheckSpec],
                      check_progress: CheckProgressCallback | None = None) -> DomainResult:
    start = time.monotonic()
    dctx = DomainContext(sctx, domain)
    result = DomainResult(domain=domain, input_name=domain)
    # A name that does not exist has nothing to check: one clear finding instead of a page of failures.
    # Only NXDOMAIN counts; SERVFAIL (e.g. DNSSEC bogus) is for the checks to explain.
    soa = await sctx.dns.query(domain, "SOA")
    if soa.nxdomain:
        result.error = "the domain does not exist (NXDOMAIN)"
        result.findings.append(Finding(check=ENGINE_CHECK_ID, key="engine.domain_not_found", status=Status.ERROR,
                                       evidence={"query": f"{domain} SOA", "rcode": soa.rcode}))
        result.duration_s = time.monotonic() - start
        return result
    tasks = {c.id: asyncio.ensure_future(_run_check(dctx, c)) for c in checks}
    if check_progress:
        for check_id, task in tasks.items():
            task.add_done_callback(lambda _t, c=check_id: check_progress(domain, c))
    pending: set[asyncio.Future[list[Finding]]] = set()
    if tasks:
        _, pending = await asyncio.wait(tasks.values(), timeout=sctx.config.timeouts.total)
    for spec in checks:
        task = tasks[spec.id]
        if task in pending:
            task.cancel()
            result.findings.append(_error(spec, "engine.budget_exceeded", {
                "budget_seconds": sctx.config.timeouts.total,
            }))
        else:
            result.findings.extend(task.result())
    dctx.close()
    result.findings.sort(key=lambda f: (f.check, f.subject or "", f.key))
    result.grades = compute_grades(result.findings, sorted(sctx.config.areas))
    result.duration_s = time.monotonic() - start
    return result


async def _run_check(dctx: DomainContext, spec: CheckSpec) -> list[Finding]:
    try:
        return await spec.func(dctx)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a bug or a hostile peer in one check must not sink the scan
        return [_error(spec, "engine.check_error", {"error": f"{type(exc).__name__}: {exc}"[:500]})]


def _error(spec: CheckSpec, key: str, evidence: dict[str, object]) -> Finding:
    return Finding(check=spec.id, key=key, status=Status.ERROR, severity=Severity.NONE, evidence=evidence)


def run(config: ScanConfig, progress: ProgressCallback | None = None) -> list[DomainResult]:
    """Synchronous wrapper for callers without an event loop."""
    return asyncio.run(scan(config, progress))[0]


async def preflight(config: ScanConfig) -> None:
    """Fail fast, with a clear message, when no configured nameserver answers at all.

    Asks for the first domain's SOA: any DNS response (even NXDOMAIN or SERVFAIL) proves the resolver
    is there. Querying the root instead would make a lab resolver recurse to the public internet.
    """
    from .dns_client import DnsClient
    from .errors import ScanInputError

    client = DnsClient(list(config.nameservers), timeout=config.timeouts.dns, retries=1)
    answer = await client.query(config.domains[0], "SOA")
    if answer.rcode in ("TIMEOUT", "ERROR"):
        servers = ", ".join(str(ns) for ns in config.nameservers)
        raise ScanInputError(f"nameserver {servers} does not answer ({answer.error})")
