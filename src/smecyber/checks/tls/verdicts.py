"""Turns a TlsEndpointReport into findings. Keys are always ``tls.*`` catalog keys, whichever check asks
(web: tls.protocols, ...; mail: its STARTTLS check), so one catalog text serves both."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Severity, Status
from .classify import (
    Level,
    cert_key_level,
    cipher_level,
    curve_level,
    dh_level,
    expiry_warn_days,
    protocol_level,
    signature_hash_level,
    worst,
)
from .endpoint import VERSIONS, TlsEndpointReport

# key -> (status, severity, points). Points are what the finding costs in its score group (0-100).
OUTCOMES: dict[str, tuple[Status, Severity, int]] = {
    "tls.endpoint.error": (Status.ERROR, Severity.NONE, 0),
    "tls.protocols.ok": (Status.PASS, Severity.NONE, 0),
    "tls.protocols.no_tls13": (Status.INFO, Severity.LOW, 0),
    "tls.protocols.phase_out": (Status.WARN, Severity.MEDIUM, -15),
    "tls.protocols.insufficient": (Status.FAIL, Severity.HIGH, -40),
    "tls.protocols.incomplete": (Status.ERROR, Severity.NONE, 0),
    "tls.ciphers.ok": (Status.PASS, Severity.NONE, 0),
    "tls.ciphers.phase_out": (Status.WARN, Severity.MEDIUM, -10),
    "tls.ciphers.insufficient": (Status.FAIL, Severity.HIGH, -30),
    "tls.ciphers.error": (Status.ERROR, Severity.NONE, 0),
    "tls.key_exchange.ok": (Status.PASS, Severity.NONE, 0),
    "tls.key_exchange.phase_out": (Status.WARN, Severity.LOW, -5),
    "tls.key_exchange.insufficient": (Status.FAIL, Severity.HIGH, -25),
    "tls.certificate.ok": (Status.PASS, Severity.NONE, 0),
    "tls.certificate.untrusted": (Status.FAIL, Severity.HIGH, -40),
    "tls.certificate.self_signed": (Status.FAIL, Severity.HIGH, -40),
    "tls.certificate.hostname_mismatch": (Status.FAIL, Severity.HIGH, -40),
    "tls.certificate.expired": (Status.FAIL, Severity.CRITICAL, -50),
    "tls.certificate.not_yet_valid": (Status.FAIL, Severity.HIGH, -40),
    "tls.certificate.expires_soon": (Status.WARN, Severity.MEDIUM, -10),
    "tls.certificate.key_phase_out": (Status.WARN, Severity.MEDIUM, -10),
    "tls.certificate.key_insufficient": (Status.FAIL, Severity.HIGH, -30),
    "tls.certificate.signature_phase_out": (Status.WARN, Severity.MEDIUM, -10),
    "tls.certificate.signature_insufficient": (Status.FAIL, Severity.HIGH, -30),
}


class _Out:
    def __init__(self, check: str, report: TlsEndpointReport, score_group: str, subject: str) -> None:
        self.check, self.report, self.group, self.subject = check, report, score_group, subject
        self.items: list[Finding] = []

    def add(self, key: str, evidence: dict[str, Any]) -> None:
        status, severity, points = OUTCOMES[key]
        self.items.append(Finding(
            check=self.check, key=key, status=status, severity=severity,
            evidence={**self.report.evidence(), **evidence}, points=points, score_group=self.group,
            subject=self.subject,
        ))


def findings_for(
    check: str, report: TlsEndpointReport, *, score_group: str, subject: str, aspects: tuple[str, ...]
) -> list[Finding]:
    out = _Out(check, report, score_group, subject)
    if report.error:
        out.add("tls.endpoint.error", {"error": report.error, "error_kind": report.error_kind})
        return out.items
    if "protocols" in aspects:
        _protocols(out)
    if "ciphers" in aspects:
        _ciphers(out)
    if "key_exchange" in aspects:
        _key_exchange(out)
    if "certificate" in aspects:
        _certificate(out)
    return out.items


def _protocols(out: _Out) -> None:
    r = out.report
    accepted = [v for v in VERSIONS if r.protocols.get(v)]
    evidence: dict[str, Any] = {
        "accepted": accepted, "refused": [v for v in VERSIONS if r.protocols.get(v) is False],
        "negotiated": r.negotiated_version,
    }
    by_level = {lv: [v for v in accepted if protocol_level(v) is lv] for lv in Level}
    if by_level[Level.INSUFFICIENT]:
        out.add("tls.protocols.insufficient", {**evidence, "versions": by_level[Level.INSUFFICIENT]})
    if by_level[Level.PHASE_OUT]:
        out.add("tls.protocols.phase_out", {**evidence, "versions": by_level[Level.PHASE_OUT]})
    if r.probe_errors:
        out.add("tls.protocols.incomplete", {**evidence, "probe_errors": r.probe_errors})
    elif not (by_level[Level.INSUFFICIENT] or by_level[Level.PHASE_OUT]):
        out.add("tls.protocols.ok", evidence)
    if r.protocols.get("TLSv1.3") is False:
        out.add("tls.protocols.no_tls13", evidence)


def _ciphers(out: _Out) -> None:
    r = out.report
    if not r.ciphers_enumerated:
        if r.depth == "deep":  # sweep leaves cipher verdicts out by design; deep should have them
            out.add("tls.ciphers.error", {"error": r.scan_error or "cipher suites were not enumerated"})
        return
    bad: dict[Level, dict[str, list[str]]] = {Level.PHASE_OUT: {}, Level.INSUFFICIENT: {}}
    for version, suites in r.ciphers.items():
        for suite in suites:
            level = cipher_level(suite)
            if level in bad:
                bad[level].setdefault(version, []).append(suite)
    evidence = {"accepted": r.ciphers}
    if bad[Level.INSUFFICIENT]:
        out.add("tls.ciphers.insufficient", {**evidence, "suites": bad[Level.INSUFFICIENT]})
    if bad[Level.PHASE_OUT]:
        out.add("tls.ciphers.phase_out", {**evidence, "suites": bad[Level.PHASE_OUT]})
    if not (bad[Level.INSUFFICIENT] or bad[Level.PHASE_OUT]):
        out.add("tls.ciphers.ok", evidence)


def _key_exchange(out: _Out) -> None:
    r = out.report
    if not r.kex_enumerated:
        return  # sweep, or sslyze failed (tls.ciphers.error already says so)
    levels = {f"ECDHE {c}": curve_level(c) for c in r.kex_curves}
    levels.update({f"DHE {b} bits": dh_level(b) for b in r.kex_dh_bits})
    evidence: dict[str, Any] = {"groups": {name: str(lv) for name, lv in levels.items()}}
    level = worst(list(levels.values()))
    if level is Level.INSUFFICIENT:
        out.add("tls.key_exchange.insufficient", evidence)
    elif level is Level.PHASE_OUT:
        out.add("tls.key_exchange.phase_out", evidence)
    else:
        out.add("tls.key_exchange.ok", evidence)


def _certificate(out: _Out) -> None:
    r = out.report
    facts = r.cert
    evidence: dict[str, Any] = facts.evidence() if facts else {}
    evidence.update({"trusted": r.cert_trusted, "chain_length": len(r.cert_chain_der)})
    before = len(out.items)
    if facts is None:
        out.add("tls.certificate.untrusted", {**evidence, "trust_error": r.trust_error})
        return
    if r.cert_trusted is False:
        key = "tls.certificate.self_signed" if facts.self_signed and len(r.cert_chain_der) == 1 else (
            "tls.certificate.untrusted")
        out.add(key, {**evidence, "trust_error": r.trust_error})
    if r.hostname_matches is False:
        out.add("tls.certificate.hostname_mismatch", evidence)
    if facts.expired:
        out.add("tls.certificate.expired", evidence)
    elif facts.not_yet_valid:
        out.add("tls.certificate.not_yet_valid", evidence)
    elif facts.days_left < expiry_warn_days():
        out.add("tls.certificate.expires_soon", {**evidence, "warn_days": expiry_warn_days()})
    key_level = cert_key_level(facts.key_type, facts.key_bits, facts.key_curve)
    if key_level is Level.INSUFFICIENT:
        out.add("tls.certificate.key_insufficient", {**evidence, "level": str(key_level)})
    elif key_level is Level.PHASE_OUT:
        out.add("tls.certificate.key_phase_out", {**evidence, "level": str(key_level)})
    sig_level = signature_hash_level(facts.signature_hash)
    if sig_level is Level.INSUFFICIENT:
        out.add("tls.certificate.signature_insufficient", {**evidence, "hash": facts.signature_hash})
    elif sig_level is Level.PHASE_OUT:
        out.add("tls.certificate.signature_phase_out", {**evidence, "hash": facts.signature_hash})
    if len(out.items) == before:
        out.add("tls.certificate.ok", evidence)
