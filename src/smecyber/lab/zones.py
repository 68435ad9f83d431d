"""Zone texts for the lab: one zone per lab domain, the lab root ``test.`` and the benchmark ``sweep.test``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.rdatatype
import dns.zone

from .addresses import AddressPlan
from .pki import txt_rdata
from .spec import DomainSpec, LabSpecError

TTL = 300
NS_NAMES = ("ns1.lab.test.", "ns2.lab.test.")
SWEEP_ZONE = "sweep.test"
_PLACEHOLDER = re.compile(r"\{(address|domain|base|tlsa_311:[a-z0-9_-]+)\}")


@dataclass(slots=True)
class ZoneData:
    """Facts a zone needs that only exist at lab start (addresses, keys, certificates)."""

    address: str
    tlsa: dict[str, str] = field(default_factory=dict)  # role (web, mail) -> "3 1 1 <hex>"
    dkim: dict[str, str] = field(default_factory=dict)  # selector -> key record text


def soa(serial: int = 1) -> str:
    return f"@ SOA {NS_NAMES[0]} hostmaster.lab.test. {serial} 3600 600 86400 {TTL}"


def substitute(text: str, spec: DomainSpec, data: ZoneData, plan: AddressPlan) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "address":
            return data.address
        if name == "domain":
            return spec.domain
        if name == "base":
            return str(plan.base)
        role = name.split(":", 1)[1]
        if role not in data.tlsa:
            raise LabSpecError(f"{spec.source}: {{{name}}} needs a '{role}' certificate (web or mail section)")
        return data.tlsa[role]

    return _PLACEHOLDER.sub(repl, text)


def _owners_with_type(records: list[str]) -> set[tuple[str, str]]:
    result = set()
    for r in records:
        parts = r.split()
        # OWNER [TTL] [CLASS] TYPE RDATA: the type is the first token that is a known type
        for token in parts[1:4]:
            if token.upper() in _TYPES:
                result.add((parts[0].lower(), token.upper()))
                break
    return result


_TYPES = {dns.rdatatype.to_text(t) for t in dns.rdatatype.RdataType}


def domain_zone(spec: DomainSpec, data: ZoneData, plan: AddressPlan, flood_counter: Callable[[], int]) -> str:
    records = [substitute(r, spec, data, plan) for r in spec.records]
    present = _owners_with_type(records)
    lines = [f"$ORIGIN {spec.domain}.", f"$TTL {TTL}", soa()]
    if ("@", "NS") not in present:
        lines += [f"@ NS {n}" for n in NS_NAMES]
    auto = []
    if spec.web is not None:
        auto += ["@", "www"]
    if spec.mta_sts is not None:
        auto.append("mta-sts")
    for owner in auto:
        if (owner, "A") not in present and (owner, "CNAME") not in present:
            lines.append(f"{owner} A {data.address}")
    lines += records
    for selector, text in data.dkim.items():
        lines.append(f"{selector}._domainkey TXT {txt_rdata(text)}")
    for g in spec.generate:
        for i in range(1, g.count + 1):
            rdata = g.rdata.replace("{i}", str(i))
            if "{ip}" in rdata:
                rdata = rdata.replace("{ip}", plan.flood_address(flood_counter()))
            lines.append(f"{g.owner} {g.type} {rdata}")
    text = "\n".join(lines) + "\n"
    _validate(text, spec)
    return text


def _validate(text: str, spec: DomainSpec) -> None:
    try:
        dns.zone.from_text(text, origin=f"{spec.domain}.", check_origin=True)
    except Exception as exc:
        raise LabSpecError(f"{spec.source}: the zone does not parse: {exc}") from None


def delegation_ns(zone_text: str, domain: str) -> list[str]:
    zone = dns.zone.from_text(zone_text, origin=f"{domain}.", relativize=False)
    ns = zone.get_rdataset(f"{domain}.", "NS")
    return [r.to_text() for r in ns] if ns else list(NS_NAMES)


def root_zone(plan: AddressPlan, delegations: dict[str, list[str]], ds: dict[str, list[str]]) -> str:
    """The lab root ``test.``: the lab nameservers' addresses and a delegation (+ DS) per zone."""
    lines = ["$ORIGIN test.", f"$TTL {TTL}", soa(), "@ NS ns1.lab", "@ NS ns2.lab",
             f"ns1.lab A {plan.ns1}", f"ns2.lab A {plan.ns2}"]
    for zone in sorted(delegations):
        for ns in delegations[zone]:
            lines.append(f"{zone}. NS {ns}")
        for record in ds.get(zone, []):
            lines.append(f"{zone}. DS {record}")
    return "\n".join(lines) + "\n"


def sweep_zone(names: list[tuple[str, DomainSpec, str]]) -> str:
    """``sweep.test`` with one name per (label, source spec, source zone text): a copy of the source records."""
    lines = [f"$ORIGIN {SWEEP_ZONE}.", f"$TTL {TTL}", soa()] + [f"@ NS {n}" for n in NS_NAMES]
    parsed: dict[str, list[tuple[str, str, str]]] = {}
    for label, spec, text in names:
        if spec.domain not in parsed:
            parsed[spec.domain] = _records_of(text, spec.domain)
        new = f"{label}.{SWEEP_ZONE}"
        pattern = re.compile(rf"(?<![a-z0-9-]){re.escape(spec.domain)}(?=\.|\b)", re.IGNORECASE)
        for owner, rtype, rdata in parsed[spec.domain]:
            lines.append(f"{pattern.sub(new, owner)} {rtype} {pattern.sub(new, rdata)}")
    return "\n".join(lines) + "\n"


def _records_of(text: str, domain: str) -> list[tuple[str, str, str]]:
    zone = dns.zone.from_text(text, origin=f"{domain}.", relativize=False)
    out = []
    for name, node in zone.nodes.items():
        for rdataset in node.rdatasets:
            if name == zone.origin and rdataset.rdtype in (dns.rdatatype.SOA, dns.rdatatype.NS):
                continue
            for rdata in rdataset:
                out.append((name.to_text(), dns.rdatatype.to_text(rdataset.rdtype), rdata.to_text()))
    return out
