"""dns.nameservers: enough nameservers, each resolvable, not all on one machine or network.

One nameserver (or two on one address) means one outage takes the domain's web site and mail offline,
which is why registries ask for at least two (RFC 2182 s5). The NS set is read at the domain, or at its
closest ancestor when the domain is not a zone apex (a www name), and the zone it came from is reported.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from ..targets import address_problem
from .tree import climb

CHECK = "dns.nameservers"


@register(CHECK, area=Area.DNS, sweep=True)
async def check_nameservers(ctx: DomainContext) -> list[Finding]:
    """At least two NS, every NS name resolves, and the addresses are not all on one network."""
    zone, names = None, []
    checked: list[str] = []
    checking_disabled = False
    for name in climb(ctx.domain):
        answer = await ctx.dns.query(name, "NS")
        checked.append(name)
        if answer.rcode == "SERVFAIL":
            # Broken DNSSEC (dns.dnssec reports it) should not hide the nameserver set: read it with CD.
            retry = await ctx.dns.query(name, "NS", cd=True)
            if not retry.failed:
                answer, checking_disabled = retry, True
        if answer.failed:
            evidence = {"checked": checked, "rcode": answer.rcode, "error": answer.error}
            return [_finding("dns.nameservers.lookup_failed", Status.ERROR, Severity.NONE, 0, evidence)]
        if answer.records:
            zone, names = name, sorted({r.lower().rstrip(".") for r in answer.records})
            break
    if zone is None:
        return [_finding("dns.nameservers.missing", Status.FAIL, Severity.HIGH, -50, {"checked": checked})]

    addresses: dict[str, list[str]] = {}
    lookup_errors: dict[str, str] = {}
    for ns in names:
        addrs, answers = await ctx.dns.addresses(ns)
        addresses[ns] = addrs
        failed = [a.rcode for a in answers if a.failed]
        if not addrs:
            lookup_errors[ns] = failed[0] if failed else next((a.rcode for a in answers if a.nxdomain), "NODATA")
    evidence: dict[str, Any] = {"zone": zone, "nameservers": names, "addresses": addresses}
    if checking_disabled:
        evidence["read_with_checking_disabled"] = True
    findings: list[Finding] = []
    if len(names) < 2:
        findings.append(_finding("dns.nameservers.single", Status.WARN, Severity.MEDIUM, -20, evidence))
    if lookup_errors:
        findings.append(_finding("dns.nameservers.unresolvable", Status.WARN, Severity.MEDIUM, -20,
                                 {**evidence, "unresolvable": lookup_errors}))
    unsafe = {
        a: p for addrs in addresses.values() for a in addrs
        if (p := address_problem(a, allow_loopback=ctx.config.allow_loopback))
    }
    if unsafe:
        # Resolvers on the internet cannot reach a private address: such an NS is dead weight at best.
        findings.append(_finding("dns.nameservers.non_public_address", Status.WARN, Severity.MEDIUM, -10,
                                 {**evidence, "non_public": unsafe}))
    if not findings:
        findings.append(_finding("dns.nameservers.ok", Status.PASS, Severity.NONE, 0, evidence))
    diversity = _diversity(addresses)
    if sum(1 for addrs in addresses.values() if addrs) >= 2 and diversity is not None:
        findings.append(_finding(diversity, Status.INFO, Severity.LOW, 0, evidence))
    return findings


def _diversity(addresses: dict[str, list[str]]) -> str | None:
    """The finding key when every NS shares one address, or one /24 (IPv6: /48); else ``None``."""
    every = {a for addrs in addresses.values() for a in addrs}
    if not every:
        return None
    if len(every) == 1:
        return "dns.nameservers.same_address"
    networks = {ipaddress.ip_network(f"{a}/{24 if ':' not in a else 48}", strict=False) for a in every}
    families = {n.version for n in networks}
    if len(networks) == len(families):  # one network per address family
        return "dns.nameservers.same_network"
    return None


def _finding(key: str, status: Status, severity: Severity, points: int, evidence: dict[str, Any]) -> Finding:
    return Finding(check=CHECK, key=key, status=status, severity=severity, evidence=evidence, points=points,
                   score_group="dns")
