"""mail.dane: DANE for SMTP (RFC 7672, RFC 6698, RFC 7671): TLSA records at ``_25._tcp.<mx>``, trusted only
when DNSSEC validated them, matched against the certificate chain the MX really presents."""

from __future__ import annotations

import asyncio
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from ..tls.endpoint import tls_endpoint_report
from .common import finding
from .mx import MxHost, get_mx_set

CHECK = "mail.dane"
USABLE_USAGES = (2, 3)  # RFC 7672 s3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP


def parse_tlsa(text: str) -> tuple[int, int, int, bytes] | None:
    parts = text.split()
    try:
        usage, selector, mtype = int(parts[0]), int(parts[1]), int(parts[2])
        data = bytes.fromhex("".join(parts[3:]))
    except (ValueError, IndexError):
        return None
    return usage, selector, mtype, data


def _association(der: bytes, selector: int, mtype: int) -> bytes | None:
    if selector == 0:
        content = der
    elif selector == 1:
        cert = x509.load_der_x509_certificate(der)
        content = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        return None
    if mtype == 0:
        return content
    if mtype == 1:
        return hashlib.sha256(content).digest()
    if mtype == 2:
        return hashlib.sha512(content).digest()
    return None


def tlsa_matches(tlsa: tuple[int, int, int, bytes], chain: list[bytes], name_ok: bool | None) -> bool:
    """RFC 7671: DANE-EE(3) matches the leaf, name not checked; DANE-TA(2) matches an issuer in the chain
    and the leaf must carry the MX name (the chain's signatures are checked by the TLS engine's handshake)."""
    usage, selector, mtype, data = tlsa
    if usage == 3:
        candidates = chain[:1]
    elif usage == 2:
        if not name_ok:
            return False
        candidates = chain[1:]
    else:
        return False
    for der in candidates:
        try:
            if _association(der, selector, mtype) == data:
                return True
        except ValueError:
            continue
    return False


@register(CHECK, area=Area.MAIL, sweep=False)
async def check_dane(ctx: DomainContext) -> list[Finding]:
    """TLSA records for every MX, DNSSEC-validated and matching the certificate presented."""
    mx = await get_mx_set(ctx)
    if not mx.accepts_mail:
        return [finding(CHECK, "not_applicable", Status.INFO, evidence={"null_mx": mx.null_mx})]
    per_host = await asyncio.gather(*(_one(ctx, h, mx.authenticated) for h in mx.hosts))
    findings = [f for fs in per_host for f in fs]
    if all(f.key == f"{CHECK}.missing" for f in findings):
        # no TLSA anywhere: DANE is simply not deployed; one finding for the domain
        return [finding(CHECK, "missing", Status.INFO, evidence={"mx_hosts": [h.host for h in mx.hosts],
                                                                 "mx_dnssec": mx.authenticated})]
    return findings


async def _one(ctx: DomainContext, mx: MxHost, mx_secure: bool) -> list[Finding]:
    name = f"_25._tcp.{mx.host}"
    ans = await ctx.dns.query(name, "TLSA")
    ev: dict[str, object] = {"name": name, "records": ans.records, "dnssec": ans.authenticated,
                             "mx_dnssec": mx_secure}
    if ans.failed:
        # RFC 7672 s2.2.1: a TLSA lookup that fails (other than "no records") makes senders defer mail.
        # Checking Disabled tells a bogus signature (answer with CD) from an unreachable server.
        cd = await ctx.dns.query(name, "TLSA", cd=True)
        outcome = "bogus" if not cd.failed else "lookup_failed"
        status = Status.FAIL if outcome == "bogus" else Status.ERROR
        sev, pts = (Severity.HIGH, -30) if outcome == "bogus" else (Severity.NONE, 0)
        return [finding(CHECK, outcome, status, sev, pts, {**ev, "rcode": ans.rcode}, mx.host)]
    if not ans.records:
        return [finding(CHECK, "missing", Status.INFO, evidence=ev, subject=mx.host)]
    if not ans.authenticated or not mx_secure:
        # RFC 7672 s2.2: TLSA (and the MX that leads to it) must be DNSSEC-secure to be used at all
        return [finding(CHECK, "not_secure", Status.WARN, Severity.MEDIUM, -10, ev, mx.host)]
    parsed = [p for p in (parse_tlsa(r) for r in ans.records) if p is not None]
    usable = [p for p in parsed if p[0] in USABLE_USAGES and p[1] in (0, 1) and p[2] in (0, 1, 2)]
    if not usable:
        return [finding(CHECK, "unusable_records", Status.FAIL, Severity.HIGH, -20, ev, mx.host)]
    report = await tls_endpoint_report(ctx, mx.host, 25, starttls="smtp")
    if report.error or not report.cert_chain_der:
        return [finding(CHECK, "no_certificate", Status.ERROR,
                        evidence={**ev, "error": report.error or "no certificate presented"}, subject=mx.host)]
    matched = [r for r, p in zip(ans.records, parsed, strict=False) if p in usable
               and tlsa_matches(p, report.cert_chain_der, report.hostname_matches)]
    ev["chain_length"] = len(report.cert_chain_der)
    if not matched:
        # DANE senders refuse to deliver to this MX: mail is bounced or queued
        return [finding(CHECK, "mismatch", Status.FAIL, Severity.HIGH, -30, ev, mx.host)]
    out = [finding(CHECK, "ok", Status.PASS, evidence={**ev, "matched": matched}, subject=mx.host)]
    if len(usable) < len(parsed):
        out.append(finding(CHECK, "unusable_records", Status.INFO, Severity.LOW, 0, ev, mx.host))
    return out
