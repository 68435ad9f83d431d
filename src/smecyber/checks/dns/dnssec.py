"""dns.dnssec: is the domain's DNS signed, and does the signature chain validate?

The verdict comes from the scan's validating resolver (the lab's unbound with the lab trust anchor; in
production the user's resolver): the AD flag on the SOA answer means *secure*; SERVFAIL that turns into
an answer when re-asked with CD (checking disabled) means *bogus*; an answer without AD means *insecure*,
but only if the resolver validates at all. That is probed with the TLD's SOA (every major TLD is signed,
and the TLD is where a validating resolver proves the chain starts): no AD there either means we cannot
tell, and the finding says so instead of blaming the domain. The root is not probed because in the lab
that would send the lab resolver to the internet.
"""

from __future__ import annotations

from typing import Any

from ..context import DomainContext
from ..dns_client import DnsAnswer
from ..model import Area, Finding, Severity, Status
from ..registry import register

CHECK = "dns.dnssec"


def _facts(answer: DnsAnswer) -> dict[str, Any]:
    facts: dict[str, Any] = {"rcode": answer.rcode, "ad": answer.authenticated}
    if answer.error:
        facts["error"] = answer.error
    return facts


@register(CHECK, area=Area.DNS, sweep=True)
async def check_dnssec(ctx: DomainContext) -> list[Finding]:
    """DNSSEC state of the domain: secure, insecure or bogus, as the validating resolver sees it."""
    domain = ctx.domain
    soa = await ctx.dns.query(domain, "SOA")
    evidence: dict[str, Any] = {"resolver": [str(ns) for ns in ctx.dns.nameservers], "soa": _facts(soa)}

    if soa.rcode == "SERVFAIL":
        # Bogus data makes a validating resolver answer SERVFAIL; with CD set it hands the data over.
        soa_cd = await ctx.dns.query(domain, "SOA", cd=True)
        evidence["soa_checking_disabled"] = _facts(soa_cd)
        if soa_cd.rcode in ("NOERROR", "NXDOMAIN"):
            await _signing_facts(ctx, evidence)
            return [_finding("dns.dnssec.bogus", Status.FAIL, Severity.HIGH, -60, evidence)]
        return [_finding("dns.dnssec.lookup_failed", Status.ERROR, Severity.NONE, 0, evidence)]
    if soa.failed:
        return [_finding("dns.dnssec.lookup_failed", Status.ERROR, Severity.NONE, 0, evidence)]

    await _signing_facts(ctx, evidence)
    if soa.authenticated:
        return [_finding("dns.dnssec.secure", Status.PASS, Severity.NONE, 0, evidence)]

    probe_name = domain.rsplit(".", 1)[-1]
    probe = await ctx.dns.query(probe_name, "SOA")
    evidence["validation_probe"] = {"name": probe_name + ".", **_facts(probe)}
    if not probe.authenticated:
        # Either the resolver does not validate or the TLD is unsigned: no verdict on the domain.
        evidence["resolver_validates"] = False
        return [_finding("dns.dnssec.not_validated", Status.INFO, Severity.NONE, 0, evidence)]
    evidence["resolver_validates"] = True
    if evidence["dnskey_records"] and not evidence["ds_records"]:
        # Signed, but the parent has no DS: the signatures protect nothing until the DS is published.
        return [_finding("dns.dnssec.ds_missing", Status.WARN, Severity.MEDIUM, -20, evidence)]
    return [_finding("dns.dnssec.insecure", Status.WARN, Severity.LOW, -20, evidence)]


async def _signing_facts(ctx: DomainContext, evidence: dict[str, Any]) -> None:
    """DNSKEY at the domain and DS at its parent, read with CD so a bogus zone still shows them."""
    dnskey = await ctx.dns.query(ctx.domain, "DNSKEY", cd=True)
    ds = await ctx.dns.query(ctx.domain, "DS", cd=True)
    evidence["dnskey_records"] = len(dnskey.records)
    evidence["ds_records"] = len(ds.records)
    if ds.records:
        evidence["ds"] = ds.records[:10]


def _finding(key: str, status: Status, severity: Severity, points: int, evidence: dict[str, Any]) -> Finding:
    return Finding(
        check=CHECK, key=key, status=status, severity=severity, evidence=evidence,
        points=points, score_group="dns",
    )
