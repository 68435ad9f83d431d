"""DMARC policy records (RFC 9989): selection, tag syntax, and policy discovery by DNS tree walk."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dns_client import DnsClient
from .common import parse_tag_list

_VERSION = re.compile(r"^v\s*=\s*DMARC1\s*(;|$)")
POLICIES = ("none", "quarantine", "reject")  # weakest first
HISTORIC_TAGS = frozenset({"pct", "rf", "ri"})  # removed by RFC 9989
KNOWN_TAGS = frozenset({"v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "rua", "ruf", "fo"}) | HISTORIC_TAGS
MAX_WALK_QUERIES = 8  # RFC 9989 tree walk: at most eight lookups however long the name


def is_dmarc_record(txt: str) -> bool:
    return bool(_VERSION.match(txt))


@dataclass(slots=True)
class DmarcRecord:
    text: str
    tags: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (tag, problem)
    unknown: list[str] = field(default_factory=list)
    historic: list[str] = field(default_factory=list)
    report_uris: dict[str, list[str]] = field(default_factory=dict)  # rua/ruf -> mailto addresses

    @property
    def p(self) -> str | None:
        v = self.tags.get("p", "").lower()
        return v if v in POLICIES else None

    def policy_for(self, tag: str) -> str | None:
        """sp defaults to p; np defaults to sp, then p (RFC 9989)."""
        order = {"p": ("p",), "sp": ("sp", "p"), "np": ("np", "sp", "p")}[tag]
        for t in order:
            v = self.tags.get(t, "").lower()
            if v in POLICIES:
                return v
        return None


def parse_dmarc(text: str) -> DmarcRecord:
    rec = DmarcRecord(text)
    pairs, bad = parse_tag_list(text)
    for part in bad:
        rec.errors.append((part, "not a tag=value pair"))
    for i, (tag, value) in enumerate(pairs):
        t = tag.lower()
        if t in rec.tags:
            rec.errors.append((t, "tag appears more than once"))
            continue
        rec.tags[t] = value
        if i == 0 and t != "v":
            rec.errors.append(("v", "v=DMARC1 must come first"))
        if t not in KNOWN_TAGS:
            rec.unknown.append(tag)
        elif t in HISTORIC_TAGS:
            rec.historic.append(t)
        _validate(rec, t, value)
    if "p" not in rec.tags:
        rec.errors.append(("p", "the p tag is missing"))
    return rec


def _validate(rec: DmarcRecord, t: str, value: str) -> None:
    v = value.lower()
    allowed = {
        "p": POLICIES, "sp": POLICIES, "np": POLICIES, "adkim": ("r", "s"), "aspf": ("r", "s"),
        "t": ("y", "n"), "psd": ("y", "n", "u"),
    }
    bad_fo = t == "fo" and not all(p in ("0", "1", "d", "s") for p in v.split(":"))
    if (t == "v" and value != "DMARC1") or (t in allowed and v not in allowed[t]) or bad_fo:
        rec.errors.append((t, f"invalid value {value!r}"))
    elif t in ("rua", "ruf"):
        addresses: list[str] = []
        for uri in (u.strip() for u in value.split(",")):
            uri = uri.split("!", 1)[0]  # the "!size" suffix is obsolete; receivers ignore it
            if not uri.lower().startswith("mailto:") or "@" not in uri:
                rec.errors.append((t, f"not a mailto: URI: {uri!r}"))
                continue
            addresses.append(uri[7:])
        rec.report_uris[t] = addresses


@dataclass(slots=True)
class Discovery:
    domain: str
    record_domain: str | None = None  # where the applicable record was found
    source: str = "none"  # domain | organizational | psd | none
    records: list[str] = field(default_factory=list)  # v=DMARC1 records at record_domain
    queried: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def record(self) -> DmarcRecord | None:
        return parse_dmarc(self.records[0]) if len(self.records) == 1 else None


def walk_targets(domain: str) -> list[str]:
    """The names the RFC 9989 tree walk queries above ``domain`` (at most 7 after the domain itself)."""
    labels = domain.split(".")
    labels = labels[-7:] if len(labels) > 8 else labels[1:]
    out = []
    while labels:
        out.append(".".join(labels))
        labels = labels[1:]
    return out[: MAX_WALK_QUERIES - 1]


async def _records_at(dns: DnsClient, name: str) -> tuple[list[str] | None, str | None]:
    ans = await dns.txt(f"_dmarc.{name}")
    if ans.failed:
        return None, f"_dmarc.{name}: {ans.rcode} {ans.error or ''}".strip()
    return [r for r in ans.records if is_dmarc_record(r)], None


async def discover(dns: DnsClient, domain: str) -> Discovery:
    """Policy discovery: the domain's own record, else the first record found walking up the tree."""
    d = Discovery(domain)
    for name in [domain, *walk_targets(domain)]:
        d.queried.append(f"_dmarc.{name}")
        records, error = await _records_at(dns, name)
        if records is None:
            d.error = error
            return d
        if records:
            d.record_domain, d.records = name, records
            if name == domain:
                d.source = "domain"
            else:
                rec = d.record
                d.source = "psd" if rec is not None and rec.tags.get("psd", "").lower() == "y" else "organizational"
            return d
    return d


async def external_authorised(dns: DnsClient, policy_domain: str, dest: str) -> bool | None:
    """RFC 9989 / RFC 7489 s7.1: ``<policy domain>._report._dmarc.<dest>`` must hold v=DMARC1."""
    ans = await dns.txt(f"{policy_domain}._report._dmarc.{dest}")
    if ans.failed:
        return None
    return any(is_dmarc_record(r) for r in ans.records)


def is_external(policy_domain: str, dest: str) -> bool:
    """Without a public suffix list: a destination in the same tree as the policy domain is internal."""
    return not (dest == policy_domain or dest.endswith("." + policy_domain) or policy_domain.endswith("." + dest))
