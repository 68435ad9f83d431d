"""mail.dane: DANE for SMTP (RFC 7672, RFC 6698, RFC 7671): TLSA records at ``_25._tcp.<mx>``, trusted only
when DNSSEC validated them, matched against the certificate chain the MX really presents."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from ..tls.endpoint import tls_endpoint_report
from .common import finding
from .mx import MxHost, get_mx_set

CHECK = "mail.dane"
USABLE_USAGES = (2, 3)  # RFC 7672 s3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP
DIGEST_LENGTHS = {1: 32, 2: 64}  # RFC 6698 s2.1.3: SHA2-256 and SHA2-512 association data


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


def usable(tlsa: tuple[int, int, int, bytes]) -> bool:
    """RFC 7672 s3.1 / RFC 6698 s2.1: usage 2 or 3, selector 0 or 1, matching type 0, 1 or 2; a digest of
    the wrong length for its matching type can never match, so that record is unusable too."""
    usage, selector, mtype, data = tlsa
    if usage not in USABLE_USAGES or selector not in (0, 1) or mtype not in (0, 1, 2):
        return False
    return mtype == 0 or len(data) == DIGEST_LENGTHS[mtype]


def _signed_by(cert: x509.Certificate, key: object) -> bool:
    sig, tbs, params = cert.signature, cert.tbs_certificate_bytes, cert.signature_algorithm_parameters
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, tbs, params, cert.signature_hash_algorithm)  # type: ignore[arg-type]
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sig, tbs, params)  # type: ignore[arg-type]
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(sig, tbs)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _issuer_path(chain: list[bytes]) -> list[x509.Certificate]:
    """The leaf, then each presented certificate whose key really signed the one before (any order)."""
    certs: list[x509.Certificate] = []
    for der in chain:
        try:
            certs.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    if not certs:
        return []
    path = [certs[0]]
    while len(path) <= len(certs):
        nxt = next((c for c in certs if c not in path and _signed_by(path[-1], c.public_key())), None)
        if nxt is None:
            break
        path.append(nxt)
    return path


def _valid_now(certs: list[x509.Certificate]) -> bool:
    now = dt.datetime.now(dt.UTC)
    return all(c.not_valid_before_utc <= now <= c.not_valid_after_utc for c in certs)


def tlsa_matches(tlsa: tuple[int, int, int, bytes], chain: list[bytes], name_ok: bool | None) -> bool:
    """RFC 7672 s3.1.1: DANE-EE(3) matches the leaf; names and validity dates are not checked.
    RFC 7672 s3.1.2 / s3.2: DANE-TA(2) matches a trust anchor that the leaf chains up to (every signature
    on the way verified, every certificate below the TA within its validity period) and the leaf must carry
    the MX name. A "2 1 0" record holds the TA's whole public key, which the server need not send (RFC 7671
    s5.2.2): then the top of the presented chain must be signed by that key."""
    usage, selector, mtype, data = tlsa
    if usage == 3:
        try:
            return bool(chain) and _association(chain[0], selector, mtype) == data
        except ValueError:
            return False
    if usage != 2 or not name_ok:
        return False
    path = _issuer_path(chain)
    for depth, cert in enumerate(path[1:], start=1):
        if _association(cert.public_bytes(serialization.Encoding.DER), selector, mtype) == data:
            return _valid_now(path[:depth])
    if path and selector == 1 and mtype == 0:
        try:
            key = serialization.load_der_public_key(data)
        except ValueError:
            return False
        return _signed_by(path[-1], key) and _valid_now(path)
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
    parsed = [parse_tlsa(r) for r in ans.records]  # None for a malformed record, kept to stay aligned
    good = [p for p in parsed if p is not None and usable(p)]
    if not good:
        return [finding(CHECK, "unusable_records", Status.FAIL, Severity.HIGH, -20, ev, mx.host)]
    report = await tls_endpoint_report(ctx, mx.host, 25, starttls="smtp")
    if report.error or not report.cert_chain_der:
        return [finding(CHECK, "no_certificate", Status.ERROR,
                        evidence={**ev, "error": report.error or "no certificate presented"}, subject=mx.host)]
    matched = [r for r, p in zip(ans.records, parsed, strict=True) if p is not None and usable(p)
               and tlsa_matches(p, report.cert_chain_der, report.hostname_matches)]
    ev["chain_length"] = len(report.cert_chain_der)
    if not matched:
        # DANE senders refuse to deliver to this MX: mail is bounced or queued
        return [finding(CHECK, "mismatch", Status.FAIL, Severity.HIGH, -30, ev, mx.host)]
    out = [finding(CHECK, "ok", Status.PASS, evidence={**ev, "matched": matched}, subject=mx.host)]
    if len(good) < len(parsed):  # malformed records count as unusable too
        out.append(finding(CHECK, "unusable_records", Status.INFO, Severity.LOW, 0, ev, mx.host))
    return out
