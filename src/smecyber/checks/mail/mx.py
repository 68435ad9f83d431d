"""mail.mx: the domain's MX set (RFC 5321 s5.1, null MX RFC 7505), shared with the other mail checks."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding

CHECK = "mail.mx"
MAX_MX_HOSTS = 10  # more are not examined (a hostile zone could list hundreds)


@dataclass(slots=True)
class MxHost:
    preference: int
    host: str  # lower case, no trailing dot
    addresses: list[str] = field(default_factory=list)  # safe addresses, from SafeResolver
    refused: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    is_cname: bool = False
    ip_literal: bool = False


@dataclass(slots=True)
class MxSet:
    domain: str
    rcode: str
    records: list[str] = field(default_factory=list)
    hosts: list[MxHost] = field(default_factory=list)  # sorted by preference, null MX excluded
    null_mx: bool = False  # RFC 7505: the domain accepts no mail
    null_mixed: bool = False  # "." together with other MX records
    authenticated: bool = False  # MX RRset validated by DNSSEC (DANE needs it)
    error: str | None = None

    @property
    def accepts_mail(self) -> bool:
        return bool(self.hosts) and not self.null_mx


async def get_mx_set(ctx: DomainContext) -> MxSet:
    """The MX set of ``ctx.domain``, looked up once per domain whichever check asks first."""
    return await ctx.memo("mail.mx_set", lambda: _lookup(ctx))


async def _lookup(ctx: DomainContext) -> MxSet:
    answer = await ctx.dns.query(ctx.domain, "MX")
    result = MxSet(ctx.domain, answer.rcode, list(answer.records), authenticated=answer.authenticated)
    if answer.failed:
        result.error = answer.error or answer.rcode
        return result
    pairs: list[tuple[int, str]] = []
    for rec in answer.records:
        pref_text, _, target = rec.partition(" ")
        pairs.append((int(pref_text), target.strip().lower().rstrip(".")))
    nulls = [p for p in pairs if p[1] == ""]
    if nulls:
        result.null_mx = True
        result.null_mixed = len(pairs) > 1
    hosts = sorted((p for p in pairs if p[1]), key=lambda p: (p[0], p[1]))[:MAX_MX_HOSTS]
    result.hosts = [MxHost(pref, host) for pref, host in hosts]
    await asyncio.gather(*(_resolve(ctx, h) for h in result.hosts))
    return result


async def _resolve(ctx: DomainContext, mx: MxHost) -> None:
    try:
        ipaddress.ip_address(mx.host)
        mx.ip_literal = True  # RFC 5321 s5.1 / RFC 7505: MX targets are names, never addresses
    except ValueError:
        pass
    cname, resolved = await asyncio.gather(ctx.dns.query(mx.host, "CNAME"), ctx.resolver.resolve(mx.host))
    mx.is_cname = bool(cname.records)
    mx.addresses = list(resolved.addresses)
    mx.refused = dict(resolved.refused)
    mx.error = resolved.error


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_mx(ctx: DomainContext) -> list[Finding]:
    """MX records present, resolvable, not aliases or IP literals; null MX recognised."""
    mx = await get_mx_set(ctx)
    ev: dict[str, object] = {"records": mx.records}
    if mx.error:
        return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "error": mx.error})]
    if mx.rcode == "NXDOMAIN":
        return [finding(CHECK, "domain_missing", Status.ERROR, evidence={**ev, "rcode": mx.rcode})]
    if mx.null_mx and not mx.null_mixed:
        return [finding(CHECK, "null_mx", Status.PASS, evidence=ev)]
    findings: list[Finding] = []
    if mx.null_mixed:
        findings.append(finding(CHECK, "null_mx_mixed", Status.FAIL, Severity.MEDIUM, -15, ev))
    if not mx.hosts:
        return [finding(CHECK, "none", Status.WARN, Severity.LOW, -10, ev)]
    for h in mx.hosts:
        hev = {"preference": h.preference, "addresses": h.addresses, "refused": h.refused}
        if h.ip_literal:
            findings.append(finding(CHECK, "ip_literal", Status.FAIL, Severity.MEDIUM, -15, hev, h.host))
        elif h.error:
            findings.append(finding(CHECK, "unresolvable", Status.FAIL, Severity.MEDIUM, -15,
                                    {**hev, "error": h.error}, h.host))
        elif not h.addresses:
            findings.append(finding(CHECK, "unroutable", Status.FAIL, Severity.MEDIUM, -15, hev, h.host))
        if h.is_cname:
            findings.append(finding(CHECK, "cname", Status.WARN, Severity.LOW, -5, hev, h.host))
    if not findings:
        hosts = [{"preference": h.preference, "host": h.host, "addresses": h.addresses} for h in mx.hosts]
        findings.append(finding(CHECK, "ok", Status.PASS, evidence={**ev, "hosts": hosts}))
    return findings
