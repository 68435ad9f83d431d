"""mail.starttls: every MX accepts a connection on port 25 and offers STARTTLS (RFC 3207); the TLS it then
negotiates is judged by the TLS engine (checks/tls/endpoint.py) like any other endpoint."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from ..tls.endpoint import tls_endpoint_report, tls_findings
from .common import SCORE_GROUP, finding
from .mx import MxHost, get_mx_set
from .smtp import SmtpDialogue, smtp_dialogue

CHECK = "mail.starttls"
SMTP_PORT = 25
# Certificate identity on port 25 is informational, as internet.nl treats it: a sending server encrypts
# opportunistically and does not check the certificate unless the domain publishes DANE (mail.dane judges
# the certificate against TLSA) or MTA-STS. Key strength and signature hash stay scored.
_IDENTITY_KEYS = frozenset({
    "tls.certificate.untrusted", "tls.certificate.self_signed", "tls.certificate.hostname_mismatch",
    "tls.certificate.expired", "tls.certificate.not_yet_valid", "tls.certificate.expires_soon",
})


async def mx_dialogue(ctx: DomainContext, mx: MxHost) -> SmtpDialogue | None:
    """The SMTP dialogue with one MX (first checked address), once per scan; None without an address."""
    if not mx.addresses:
        return None
    address = mx.addresses[0]  # the address the TLS engine also uses for this endpoint
    t = ctx.config.timeouts
    return await ctx.scan.memo(
        ("smtp_dialogue", address, SMTP_PORT),
        lambda: smtp_dialogue(address, SMTP_PORT, connect_timeout=t.connect, timeout=t.operation),
    )


@register(CHECK, area=Area.MAIL, sweep=False)
async def check_starttls(ctx: DomainContext) -> list[Finding]:
    """STARTTLS offered by every MX, and the TLS behind it."""
    mx = await get_mx_set(ctx)
    if not mx.accepts_mail:
        return [finding(CHECK, "not_applicable", Status.INFO, evidence={"records": mx.records,
                                                                        "null_mx": mx.null_mx})]
    per_host = await asyncio.gather(*(_one(ctx, h) for h in mx.hosts))
    return [f for fs in per_host for f in fs]


async def _one(ctx: DomainContext, mx: MxHost) -> list[Finding]:
    ev: dict[str, object] = {"addresses": mx.addresses, "refused": mx.refused}
    if not mx.addresses:
        outcome = "unsafe_address" if mx.refused else "unresolvable"
        return [finding(CHECK, outcome, Status.ERROR, evidence={**ev, "error": mx.error}, subject=mx.host)]
    d = await mx_dialogue(ctx, mx)
    assert d is not None
    ev.update({"address": d.address, "port": d.port, "greeting": d.greeting, "extensions": d.extensions})
    if d.error:
        return [finding(CHECK, "unreachable", Status.ERROR, evidence={**ev, "error": d.error,
                                                                         "error_kind": d.error_kind},
                        subject=mx.host)]
    if not d.starttls:
        return [finding(CHECK, "not_offered", Status.FAIL, Severity.HIGH, -30, ev, mx.host)]
    report = await tls_endpoint_report(ctx, mx.host, SMTP_PORT, starttls="smtp")
    if report.error:
        return [finding(CHECK, "tls_failed", Status.FAIL, Severity.HIGH, -25,
                        {**ev, "error": report.error, "error_kind": report.error_kind}, mx.host)]
    out = [finding(CHECK, "ok", Status.PASS, evidence={**ev, "tls_version": report.negotiated_version,
                                                        "cipher": report.negotiated_cipher}, subject=mx.host)]
    for f in tls_findings(CHECK, report, score_group=SCORE_GROUP, subject=mx.host):
        if f.key in _IDENTITY_KEYS:
            f = replace(f, status=Status.INFO, points=0, evidence={**f.evidence, "scored": False})
        out.append(f)
    return out
