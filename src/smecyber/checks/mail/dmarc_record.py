"""DMARC policy records (RFC 9989): selection, tag syntax, and policy discovery by DNS tree walk."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..dns_client import DnsClient

# RFC 9989 s4.7/s4.8: dmarc-version = "v" equals %s"DMARC1" (value case-sensitive); equals = *WSP "=" *WSP,
# dmarc-sep = *WSP ";" *WSP, and WSP is only space and tab (RFC 5234).
_VERSION = re.compile(r"^v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)")
_WSP = " \t"
_TAG_NAME = re.compile(r"[A-Za-z]+")  # dmarc-tag = 1*ALPHA equals 1*dmarc-value
_TAG_VALUE = re.compile(r"[\x20-\x3a\x3c-\x7e]+")  # dmarc-value: any printing character but ";"
# dmarc-uri = URI (RFC 3986) with "," and "!" percent-encoded, optionally followed by the obsolete
# obs-dmarc-report-size "!" 1*DIGIT ["k" / "m" / "g" / "t"] that reporters ignore (RFC 9989 s4.8).
_URI = re.compile(
    r"(?P<uri>[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@$&'()*+=]|%[0-9A-Fa-f]{2})*)"
    r"(?:!(?P<size>[0-9]+[kmgtKMGT]?))?"
)
POLICIES = ("none", "quarantine", "reject")  # weakest first
HISTORIC_TAGS = frozenset({"pct", "rf", "ri"})  # removed by RFC 9989
KNOWN_TAGS = frozenset({"v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "rua", "ruf", "fo"}) | HISTORIC_TAGS
POLICY_TAGS = ("p", "sp", "np")
MAX_WALK_QUERIES = 8  # RFC 9989 tree walk: at most eight lookups however long the name
_ONE_LEVEL_DOWN = {"reject": "quarantine", "quarantine": "none", "none": "none"}  # RFC 9989 s4.7 "t=y"


def is_dmarc_record(txt: str) -> bool:
    return bool(_VERSION.match(txt))


@dataclass(slots=True)
class DmarcRecord:
    text: str
    tags: dict[str, str] = field(default_factory=dict)  # first occurrence of each tag, raw value
    errors: list[tuple[str, str]] = field(default_factory=list)  # (tag, problem)
    invalid: set[str] = field(default_factory=set)  # tags whose value does not match its ABNF rule
    unknown: list[str] = field(default_factory=list)
    historic: list[str] = field(default_factory=list)
    uris: dict[str, list[str]] = field(default_factory=dict)  # rua/ruf -> syntactically valid URIs
    report_uris: dict[str, list[str]] = field(default_factory=dict)  # rua/ruf -> mailto addresses

    def value(self, tag: str) -> str | None:
        """The tag's value (lower-cased; ABNF literals are case-insensitive) if present and valid."""
        v = self.tags.get(tag)
        return None if v is None or tag in self.invalid else v.lower()

    @property
    def policy_invalid(self) -> bool:
        """RFC 9989 s4.10.1: a "p" that is not valid, or an "sp" or "np" that is not valid."""
        return any(t in self.invalid for t in POLICY_TAGS)

    @property
    def has_valid_rua(self) -> bool:
        return bool(self.uris.get("rua"))

    @property
    def applies(self) -> bool:
        """False when RFC 9989 s4.10.1 says to apply no DMARC processing (invalid policy, no valid rua)."""
        return not self.policy_invalid or self.has_valid_rua

    @property
    def p(self) -> str | None:
        return self.policy_for("p")

    @property
    def testing(self) -> bool:
        return self.value("t") == "y"

    @property
    def psd(self) -> str:
        return self.value("psd") or "u"

    def policy_for(self, tag: str) -> str | None:
        """The policy a receiver applies for ``tag`` (p: the domain, sp: existing subdomains, np: non-existent).

        RFC 9989 s4.7: an absent "p" means "p=none"; "sp" defaults to "p"; "np" to "sp", then "p".
        RFC 9989 s4.10.1: an invalid "p", "sp" or "np" turns the whole record into "p=none" if "rua" holds at
        least one syntactically valid URI, and otherwise no DMARC processing applies (None).
        """
        if self.policy_invalid:
            return "none" if self.has_valid_rua else None
        p = self.value("p") or "none"
        sp = self.value("sp") or p
        return {"p": p, "sp": sp, "np": self.value("np") or sp}[tag]

    def effective(self, policy: str | None) -> str | None:
        """RFC 9989 s4.7: with "t=y" the policy applied is one level below the one published."""
        return _ONE_LEVEL_DOWN[policy] if policy is not None and self.testing else policy


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse a record with the RFC 9989 s4.8 grammar (DKIM tag-value syntax, RFC 6376 s3.2)."""
    rec = DmarcRecord(text)
    for i, part in enumerate(text.split(";")):
        item = part.strip(_WSP)
        if not item:
            continue
        if "=" not in item:
            rec.errors.append((item, "not a tag=value pair"))
            continue
        tag, value = (s.strip(_WSP) for s in item.split("=", 1))
        if not _TAG_NAME.fullmatch(tag):
            rec.errors.append((tag or item, "not a valid tag name"))
            continue
        if i == 0 and tag != "v":
            rec.errors.append(("v", "v=DMARC1 must come first"))
        if tag in rec.tags:
            rec.errors.append((tag, "tag appears more than once"))
            continue
        rec.tags[tag] = value
        # RFC 9989 s4.7 uses the DKIM tag-value syntax, whose tag names are case-sensitive (RFC 6376 s3.2):
        # "P=reject" is an unknown tag, and unknown tags MUST be ignored.
        if tag not in KNOWN_TAGS:
            rec.unknown.append(tag)
            if tag.lower() in KNOWN_TAGS:
                rec.errors.append((tag, f"tag names are case-sensitive: {tag!r} is not {tag.lower()!r} and is ignored"))
        elif tag in HISTORIC_TAGS:
            rec.historic.append(tag)
        else:
            _validate(rec, tag, value)
    return rec


def _valid_fo(value: str) -> bool:
    """dmarc-fo (RFC 9989 s4.8): colon-separated 0/1/d/s; "0" and "1" exclusive; each at most once."""
    items = value.lower().split(":")
    return (all(x in ("0", "1", "d", "s") for x in items) and len(set(items)) == len(items)
            and not {"0", "1"} <= set(items))


def _validate(rec: DmarcRecord, t: str, value: str) -> None:
    v = value.lower()
    allowed = {
        "p": POLICIES, "sp": POLICIES, "np": POLICIES, "adkim": ("r", "s"), "aspf": ("r", "s"),
        "t": ("y", "n"), "psd": ("y", "n", "u"),
    }
    if t in ("rua", "ruf"):
        _validate_uris(rec, t, value)
        return
    ok = _TAG_VALUE.fullmatch(value) is not None and (
        (t == "v" and value == "DMARC1") or (t in allowed and v in allowed[t]) or (t == "fo" and _valid_fo(value))
    )
    if not ok:
        rec.invalid.add(t)
        rec.errors.append((t, f"invalid value {value!r}"))


def _validate_uris(rec: DmarcRecord, t: str, value: str) -> None:
    """dmarc-urilist = uri *(*WSP "," *WSP uri). Any valid URI is allowed; receivers support mailto:."""
    uris: list[str] = []
    addresses: list[str] = []
    for raw in (u.strip(_WSP) for u in value.split(",")):
        m = _URI.fullmatch(raw)
        if m is None:
            rec.errors.append((t, f"not a valid URI: {raw!r}"))
            continue
        uri = m.group("uri")  # the obsolete "!size" suffix is ignored (RFC 9989 s4.8)
        uris.append(uri)
        if not uri.lower().startswith("mailto:"):
            rec.errors.append((t, f"not a mailto: URI: {uri!r} (receivers need only support mailto:)"))
            continue
        address = unquote(uri[7:].split("?", 1)[0])
        if "@" not in address:
            rec.errors.append((t, f"mailto: URI without an address: {uri!r}"))
            continue
        addresses.append(address)
    if not uris:
        rec.invalid.add(t)
    rec.uris[t] = uris
    rec.report_uris[t] = addresses


@dataclass(slots=True)
class Discovery:
    domain: str
    record_domain: str | None = None  # where the applicable record was found
    source: str = "none"  # domain | organizational | psd | none
    records: list[str] = field(default_factory=list)  # the v=DMARC1 record at record_domain
    queried: list[str] = field(default_factory=list)
    multiple: dict[str, list[str]] = field(default_factory=dict)  # names whose several records were discarded
    org_domain: str | None = None
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


@dataclass(slots=True)
class _Walk:
    start: str
    found: list[tuple[str, str, DmarcRecord]] = field(default_factory=list)  # longest name first
    queried: list[str] = field(default_factory=list)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    async def visit(self, dns: DnsClient, name: str) -> bool:
        """RFC 9989 s4.10 steps 1-2 / 5-6 for one name. Returns False when the walk stops."""
        self.queried.append(f"_dmarc.{name}")
        records, self.error = await _records_at(dns, name)
        if records is None:
            return False
        if len(records) > 1:  # several records for one target: all are discarded, the walk goes on
            self.multiple[name] = records
            return True
        if records:
            rec = parse_dmarc(records[0])
            self.found.append((name, records[0], rec))
            return rec.psd not in ("y", "n")  # a single record with psd=y or psd=n stops the walk
        return True

    def organizational_domain(self) -> str:
        """RFC 9989 s4.10.2: pick from the records found, longest name to shortest."""
        for name, _, rec in self.found:
            if rec.psd == "n":
                return name
            if rec.psd == "y" and name != self.start:
                # the domain one label below the PSD, on the way to the start domain
                return ".".join(self.start.split(".")[-(name.count(".") + 2):])
        return self.found[-1][0] if self.found else self.start


async def discover(dns: DnsClient, domain: str) -> Discovery:
    """RFC 9989 s4.10.1: the domain's own record, else that of its Organizational Domain, else of its PSD."""
    d = Discovery(domain)
    walk = _Walk(domain)
    if await walk.visit(dns, domain) and not walk.found and walk.error is None:
        for name in walk_targets(domain):
            if not await walk.visit(dns, name):
                break
    d.queried, d.multiple, d.error = walk.queried, walk.multiple, walk.error
    if d.error:
        return d
    if walk.found and walk.found[0][0] == domain:
        d.record_domain, d.records, d.source = domain, [walk.found[0][1]], "domain"
        return d
    d.org_domain = walk.organizational_domain()
    psd_record = None
    for name, text, rec in walk.found:
        if name == d.org_domain:
            d.record_domain, d.records, d.source = name, [text], "organizational"
            return d
        if rec.psd == "y":
            psd_record = (name, text)
    if psd_record is not None:
        d.record_domain, d.records, d.source = psd_record[0], [psd_record[1]], "psd"
    return d


async def organizational_domain(dns: DnsClient, domain: str) -> str | None:
    """RFC 9989 s4.10.2: a tree walk from ``domain`` itself; None if a lookup failed."""
    walk = _Walk(domain)
    for name in [domain, *walk_targets(domain)]:
        if not await walk.visit(dns, name):
            break
    return None if walk.error else walk.organizational_domain()


async def external_authorised(dns: DnsClient, policy_domain: str, dest: str) -> bool | None:
    """RFC 9990 / RFC 7489 s7.1: ``<policy domain>._report._dmarc.<dest>`` must hold v=DMARC1.

    A wildcard ``*._report._dmarc.<dest>`` needs nothing here: the DNS synthesises the answer.
    """
    ans = await dns.txt(f"{policy_domain}._report._dmarc.{dest}")
    if ans.failed:
        return None
    return any(is_dmarc_record(r) for r in ans.records)


def is_external(policy_domain: str, dest: str) -> bool:
    """Fallback when Organizational Domains cannot be determined: a destination in the same tree is internal."""
    return not (dest == policy_domain or dest.endswith("." + policy_domain) or policy_domain.endswith("." + dest))


async def is_external_destination(dns: DnsClient, policy_domain: str, dest: str) -> bool:
    """RFC 9990: a destination is external when its Organizational Domain differs from the policy domain's."""
    if dest == policy_domain:
        return False
    ours, theirs = await organizational_domain(dns, policy_domain), await organizational_domain(dns, dest)
    if ours is None or theirs is None:
        return is_external(policy_domain, dest)
    return ours != theirs
