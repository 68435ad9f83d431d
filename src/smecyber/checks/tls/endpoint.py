"""The TLS facts of one endpoint (web 443, SMTP STARTTLS 25), computed once per scan and shared.

Handshakes per endpoint (counted in ``ctx.scan.counters["tls_handshakes:<address>:<port>"]``):

* both depths: one handshake letting the server choose (negotiated version and suite, certificate chain);
* sweep: one handshake pinned to TLS 1.1 and one to TLS 1.0 (run in parallel); only when TLS 1.0 is accepted,
  one bare SSL 3.0 and one SSL 2.0 hello (servers enable contiguous version ranges, so a server refusing TLS 1.0
  does not speak SSL). TLS 1.2 is not probed when TLS 1.3 is negotiated: no verdict depends on it.
  -> 3 handshakes for a modern server, 5 for a legacy one, and no cipher enumeration;
* deep: sslyze's six cipher-suite scans (one connection per suite tried, ~410 on loopback) instead of the
  probes. If sslyze fails, deep falls back to the sweep probes and reports no cipher verdict.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from typing import Any

from ..config import Depth
from ..context import DomainContext, ScanContext
from ..model import Finding
from .certinfo import CertFacts, cert_facts, hostname_matches, verify_chain
from .handshake import HandshakeResult, StartTlsRefusedError, handshake, probe_legacy

# Versions in the order we report them, oldest first.
VERSIONS = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
DEEP_TIME_FACTOR = 3  # sslyze may use this many operation timeouts: it makes hundreds of connections


@dataclass(slots=True)
class TlsEndpointReport:
    host: str
    address: str
    port: int
    starttls: str | None  # "smtp" or None
    depth: str = Depth.DEEP.value
    error: str | None = None  # connect / handshake failure, one line; nothing else is set then
    error_kind: str | None = None  # dns | unsafe | refused | connect | timeout | tls | starttls
    protocols: dict[str, bool] = field(default_factory=dict)  # only the versions probed
    ciphers: dict[str, list[str]] = field(default_factory=dict)  # IANA names; sweep: the negotiated one only
    ciphers_enumerated: bool = False  # True when ``ciphers`` lists every accepted suite (deep)
    negotiated_version: str | None = None
    negotiated_cipher: str | None = None  # IANA name
    cert_chain_der: list[bytes] = field(default_factory=list)  # as presented, leaf first
    cert: CertFacts | None = None  # facts of the leaf
    cert_trusted: bool | None = None
    trust_error: str | None = None
    hostname_matches: bool | None = None
    kex_curves: list[str] = field(default_factory=list)  # ECDHE groups seen (deep)
    kex_dh_bits: list[int] = field(default_factory=list)  # DHE group sizes seen (deep)
    kex_enumerated: bool = False
    probe_errors: dict[str, str] = field(default_factory=dict)  # version -> why its probe failed
    scan_error: str | None = None  # sslyze failure in deep (the sweep probes were used instead)
    handshakes: int = 0

    # Shortcuts for callers that do not want to reach into ``cert``.
    @property
    def key_type(self) -> str | None:
        return self.cert.key_type if self.cert else None

    @property
    def key_bits(self) -> int | None:
        return self.cert.key_bits if self.cert else None

    @property
    def signature_algorithm(self) -> str | None:
        return self.cert.signature_algorithm if self.cert else None

    @property
    def not_after(self) -> str | None:
        return self.cert.not_after if self.cert else None

    @property
    def days_left(self) -> int | None:
        return self.cert.days_left if self.cert else None

    def evidence(self) -> dict[str, Any]:
        return {"host": self.host, "address": self.address, "port": self.port, "starttls": self.starttls}


async def tls_endpoint_report(
    ctx: DomainContext, host: str, port: int, *, starttls: str | None = None
) -> TlsEndpointReport:
    """Scan ``host:port`` once per scan (memoised on address, port, host, STARTTLS and depth)."""
    host = host.lower().rstrip(".")
    resolved = await ctx.resolver.resolve(host)
    if not resolved.addresses:
        report = TlsEndpointReport(host, "", port, starttls, depth=ctx.config.depth.value)
        if resolved.refused:
            addr, reason = next(iter(resolved.refused.items()))
            report.address, report.error, report.error_kind = addr, f"refused to connect to {addr}: {reason}", "unsafe"
        else:
            report.error, report.error_kind = resolved.error or f"cannot resolve {host}", "dns"
        return report
    address = resolved.addresses[0]  # one address per endpoint; see docs/architecture.md (TLS)
    key = ("tls_endpoint", address, port, host, starttls, ctx.config.depth.value)
    return await ctx.scan.memo(key, lambda: _scan(ctx.scan, host, address, port, starttls))


def _describe(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, TimeoutError):
        return "timed out", "timeout"
    if isinstance(exc, StartTlsRefusedError):
        return f"STARTTLS not available: {exc}", "starttls"
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc.reason or exc}"[:300], "tls"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused: {exc.strerror or exc}"[:300], "refused"
    if isinstance(exc, ConnectionError | OSError):
        return f"connection failed: {exc.strerror or exc}"[:300], "connect"
    return f"{type(exc).__name__}: {exc}"[:300], "tls"


def _iana(openssl_name: str) -> str:
    if openssl_name.startswith("TLS_"):  # TLS 1.3 suites already carry their IANA name
        return openssl_name
    from sslyze.plugins.openssl_cipher_suites.cipher_suites import _TLS_OPENSSL_TO_RFC_NAMES_MAPPING

    return _TLS_OPENSSL_TO_RFC_NAMES_MAPPING.get(openssl_name, openssl_name)


async def _scan(sctx: ScanContext, host: str, address: str, port: int, starttls: str | None) -> TlsEndpointReport:
    config = sctx.config
    report = TlsEndpointReport(host, address, port, starttls, depth=config.depth.value)
    timeout = config.timeouts.operation
    try:
        try:
            first = await handshake(address, port, host, starttls=starttls, version=None, timeout=timeout)
        except Exception as exc:  # every failure is evidence; the hostile-server tests rely on this
            report.error, report.error_kind = _describe(exc)
            report.handshakes += 1
            return report
        report.handshakes += 1
        await _certificate(report, first, str(config.ca_file) if config.ca_file else None)
        report.negotiated_version = first.version
        report.negotiated_cipher = _iana(first.cipher_openssl)
        report.protocols[first.version] = True
        report.ciphers = {first.version: [report.negotiated_cipher]}
        if config.depth is Depth.DEEP and await _deep(report, timeout, sctx.heavy_work):
            return report
        await _sweep_probes(report, first, timeout)
        return report
    finally:
        sctx.count(f"tls_handshakes:{address}:{port}", report.handshakes)


async def _certificate(report: TlsEndpointReport, first: HandshakeResult, ca_file: str | None) -> None:
    report.cert_chain_der = first.chain_der
    if not first.chain_der:
        report.cert_trusted, report.trust_error = False, "no certificate presented"
        return
    try:
        report.cert = cert_facts(first.chain_der[0])
    except ValueError as exc:
        report.cert_trusted, report.trust_error = False, f"unreadable certificate: {exc}"[:300]
        return
    report.hostname_matches = hostname_matches(report.host, report.cert.sans)
    # Loading the system trust store the first time takes tens of milliseconds: keep it off the loop.
    report.cert_trusted, report.trust_error = await asyncio.to_thread(verify_chain, first.chain_der, ca_file)


async def _deep(report: TlsEndpointReport, timeout: float, heavy_work: asyncio.Semaphore) -> bool:
    """Enumerate with sslyze; False when it failed (the caller then falls back to the probes)."""
    from .deep import sslyze_scan  # sslyze/nassl load only when a deep scan runs

    try:
        async with heavy_work:
            result = await asyncio.wait_for(
                asyncio.to_thread(sslyze_scan, report.host, report.address, report.port,
                                  starttls=report.starttls, network_timeout=timeout),
                timeout=timeout * DEEP_TIME_FACTOR,
            )
    except TimeoutError:
        # The thread cannot be killed; its sockets time out on their own (network_timeout each).
        report.scan_error = "sslyze scan timed out"
        return False
    except Exception as exc:
        report.scan_error = f"sslyze failed: {type(exc).__name__}: {exc}"[:300]
        return False
    report.handshakes += result.handshakes
    if result.error or result.errors:
        report.scan_error = result.error or "; ".join(f"{k}: {v}" for k, v in result.errors.items())
        return False
    if not any(result.protocols.values()):
        report.scan_error = "sslyze found no accepted cipher suite although a handshake succeeded"
        return False
    report.protocols = {v: result.protocols.get(v, False) for v in VERSIONS}
    report.ciphers = {v: result.ciphers[v] for v in VERSIONS if result.ciphers.get(v)}
    report.ciphers_enumerated = True
    report.kex_curves, report.kex_dh_bits, report.kex_enumerated = result.curves, result.dh_bits, True
    return True


async def _sweep_probes(report: TlsEndpointReport, first: HandshakeResult, timeout: float) -> None:
    negotiated = VERSIONS.index(first.version) if first.version in VERSIONS else len(VERSIONS) - 1
    for v in VERSIONS[negotiated + 1:]:
        report.protocols[v] = False  # the server picks the highest version both sides offer
    to_probe = [v for v in ("TLSv1.0", "TLSv1.1") if VERSIONS.index(v) < negotiated]

    async def probe(version: str) -> bool | None:
        report.handshakes += 1
        try:
            if version in ("SSLv2", "SSLv3"):
                return await probe_legacy(report.address, report.port, version, starttls=report.starttls,
                                          timeout=timeout)
            await handshake(report.address, report.port, report.host, starttls=report.starttls,
                            version=version, timeout=timeout)
            return True
        except (ssl.SSLError, ConnectionError):
            return False
        except Exception as exc:
            report.probe_errors[version] = _describe(exc)[0]
            return None

    answers = await asyncio.gather(*(probe(v) for v in to_probe))
    for v, ok in zip(to_probe, answers, strict=True):
        if ok is not None:
            report.protocols[v] = ok
    if report.protocols.get("TLSv1.0") or first.version == "TLSv1.0":
        legacy = ("SSLv2", "SSLv3")
        answers = await asyncio.gather(*(probe(v) for v in legacy))
        for v, ok in zip(legacy, answers, strict=True):
            if ok is not None:
                report.protocols[v] = ok
    report.protocols = {v: report.protocols[v] for v in VERSIONS if v in report.protocols}


def tls_findings(
    check: str, report: TlsEndpointReport, *, score_group: str, subject: str,
    aspects: tuple[str, ...] = ("protocols", "ciphers", "key_exchange", "certificate"),
) -> list[Finding]:
    """Protocol, cipher, key exchange and certificate verdicts for one endpoint (see verdicts.py)."""
    from .verdicts import findings_for

    return findings_for(check, report, score_group=score_group, subject=subject, aspects=aspects)
