"""Audit an SPF policy as a whole (RFC 7208): follow include/redirect, count DNS-querying terms and void
lookups, detect loops and missing targets, and find the effective ``all``.

check_host() evaluates one sender address and stops at the first match; an audit has to assume the worst
case, a sender that matches nothing, so every term up to ``all`` is counted (s4.6.4 limits apply to it).
That sender is AUDIT_SENDER: an IPv4 address (most mail still arrives over IPv4, and a/mx then look up A
records only, s5.3/s5.4) with no PTR record, mailing as postmaster@<domain> with a HELO name that does not
exist. Macros (s7) are expanded for it, so sender-dependent terms are looked up as a receiver would for such
a sender; they are also listed in ``dynamic_terms``.

The verdict follows check_host(): terms are evaluated in order and the first permanent or temporary error
decides (a temperror before the 11th lookup is a temperror, s4.6.4, s5.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..dns_client import DnsAnswer, DnsClient
from .spf_syntax import (
    DNS_MECHANISMS,
    MacroSender,
    ParsedRecord,
    Term,
    dns_name,
    expand_macros,
    is_spf_record,
    parse_record,
)

LOOKUP_LIMIT = 10  # s4.6.4
VOID_LIMIT = 2  # s4.6.4
MX_NAMES_LIMIT = 10  # s4.6.4: an mx mechanism may look up at most 10 MX names
MAX_RECORDS_FOLLOWED = 40  # our own bound on work for hostile include trees
AUDIT_IP = "192.0.2.123"  # TEST-NET-1 (RFC 5737): authorised by no real policy
AUDIT_HELO = "mx.example"  # RFC 2606 reserved: never resolves

# problem codes that make check_host() return permerror
PERMERROR = frozenset({
    "multiple_records", "syntax", "too_many_lookups", "too_many_void_lookups", "mx_too_many",
    "include_missing", "redirect_missing", "loop",
})


@dataclass(slots=True)
class Problem:
    code: str
    domain: str
    detail: str
    term: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "domain": self.domain, "detail": self.detail, "term": self.term}


@dataclass(slots=True)
class Node:
    domain: str
    via: str  # root | include | redirect
    record: str | None = None
    children: list[Node] = field(default_factory=list)
    # the qualifier that decides for AUDIT_SENDER ("all", a term matching every sender, or via redirect);
    # None: nothing matched, neutral (s4.7)
    decides: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"domain": self.domain, "via": self.via, "record": self.record}
        if self.children:
            d["includes"] = [c.to_dict() for c in self.children]
        return d


@dataclass(slots=True)
class SpfAnalysis:
    domain: str
    records: list[str] = field(default_factory=list)  # the v=spf1 records at the domain itself
    found: bool = False
    problems: list[Problem] = field(default_factory=list)
    lookups: int = 0
    void_lookups: int = 0
    all_qualifier: str | None = None  # effective top-level "all" ("+", "-", "~", "?"), after redirect
    ptr_used: bool = False
    dynamic_terms: list[str] = field(default_factory=list)  # macro terms we could not follow
    authorising_terms: int = 0  # mechanisms other than all that can yield pass
    tree: Node | None = None
    temperror: str | None = None

    @property
    def first_error(self) -> str | None:
        """"permerror" or "temperror": whichever check_host() meets first (problems are in evaluation order)."""
        for p in self.problems:
            if p.code in PERMERROR:
                return "permerror"
            if p.code == "lookup_failed":
                return "temperror"
        return None

    @property
    def permerror(self) -> bool:
        return self.found and self.first_error == "permerror"

    @property
    def result(self) -> str:
        if not self.found:
            return "none" if not self.temperror else "temperror"
        return self.first_error or ("temperror" if self.temperror else "ok")

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


class _Walker:
    def __init__(self, dns: DnsClient, analysis: SpfAnalysis) -> None:
        self.dns = dns
        self.a = analysis
        self.followed = 0
        self.sender = MacroSender(AUDIT_IP, f"postmaster@{analysis.domain}", AUDIT_HELO)
        self.ptr_looked_up = False  # %{p} needs the sender's validated name: one PTR lookup per check

    def problem(self, code: str, domain: str, detail: str, term: str | None = None) -> None:
        if code in ("too_many_lookups", "too_many_void_lookups") and code in self.a.codes():
            return
        self.a.problems.append(Problem(code, domain, detail, term))

    def count_lookup(self, domain: str, term: str) -> None:
        self.a.lookups += 1
        if self.a.lookups > LOOKUP_LIMIT:
            self.problem("too_many_lookups", domain, f"more than {LOOKUP_LIMIT} DNS-querying terms", term)

    def count_void(self, domain: str, term: str) -> None:
        self.a.void_lookups += 1
        if self.a.void_lookups > VOID_LIMIT:
            self.problem("too_many_void_lookups", domain, f"more than {VOID_LIMIT} void lookups", term)

    async def fetch(self, domain: str) -> tuple[list[str] | None, str | None]:
        """The v=spf1 records of ``domain``, or (None, error) on a DNS failure."""
        ans = await self.dns.txt(domain)
        if ans.failed:
            return None, f"{ans.rcode} {ans.error or ''}".strip()
        return [r for r in ans.records if is_spf_record(r)], None

    async def walk(
        self, domain: str, via: str, stack: tuple[str, ...], term: str | None, top: bool
    ) -> Node | None:
        self.followed += 1
        node = Node(domain, via)
        if self.followed > MAX_RECORDS_FOLLOWED:
            self.problem("too_many_lookups", domain, "include tree too large to follow", term)
            return node
        records, error = await self.fetch(domain)
        if records is None:
            self.a.temperror = self.a.temperror or f"{domain}: {error}"
            self.problem("lookup_failed", domain, error or "lookup failed", term)
            return node
        if via == "root":
            self.a.records = records
            self.a.found = bool(records)
        if not records:
            if via != "root":
                self.problem(f"{via}_missing", domain, f"{via} target has no SPF record", term)
            return None if via == "root" else node
        if len(records) > 1:
            self.problem("multiple_records", domain, f"{len(records)} SPF records", term)
            return node
        node.record = records[0]
        parsed = parse_record(records[0])
        for bad, reason in parsed.errors:
            self.problem("syntax", domain, reason, bad)
        if parsed.errors:
            return node
        await self.evaluate(parsed, node, stack, top)
        return node

    async def evaluate(self, parsed: ParsedRecord, node: Node, stack: tuple[str, ...], top: bool) -> None:
        """``top``: this record decides the final result (the root or a redirect from it)."""
        domain = node.domain
        has_all = False
        for t in parsed.mechanisms:
            if t.name == "all" or (t.name == "ip4" and (t.value or "").endswith("/0")):
                has_all = True  # "ip4:x/0" matches every IPv4 sender like "all" does
                node.decides = t.qualifier
                if top:
                    self.a.all_qualifier = t.qualifier
                break  # later mechanisms are never evaluated (s5.1)
            if top and t.qualifier == "+":
                self.a.authorising_terms += 1
            if t.name not in DNS_MECHANISMS:
                continue
            self.count_lookup(domain, t.text)
            if t.name == "ptr":
                # s5.5: the PTR lookup of a sender without a reverse name is a void lookup (s4.6.4)
                self.a.ptr_used = True
                self.count_void(domain, t.text)
                continue
            target = self.target(t, domain)
            matches_all = False
            if t.name == "include":
                if target is None:  # not a valid DNS name: no SPF record there (s5.2)
                    self.problem("include_missing", domain, f"{t.domain_spec} is not a valid domain name", t.text)
                else:
                    child = await self.follow(target, "include", node, stack, t.text, False)
                    # s5.2: an included policy that passes the sender makes the include match
                    matches_all = child is not None and child.decides == "+"
            elif target is None:
                continue  # s4.3/1 by analogy: a name that cannot exist matches nothing, no query is sent
            elif t.name == "exists":
                matches_all = await self.address_lookup(domain, target, t.text) == "found"  # s5.7
            elif t.name == "a":
                found = await self.address_lookup(domain, target, t.text)
                matches_all = found == "found" and t.value == "0"  # a/0 matches every IPv4 sender
            elif t.name == "mx":
                found = await self.mx_lookup(domain, target, t.text)
                matches_all = found == "found" and t.value == "0"
            if matches_all:
                # every sender (AUDIT_SENDER at least) matches here: check_host() stops, as at "all" (s4.6.2)
                has_all = True
                node.decides = t.qualifier
                if top:
                    self.a.all_qualifier = t.qualifier
                break
        redirect = parsed.modifier("redirect")
        if redirect is not None and not has_all:  # s6.1: redirect is ignored when "all" is present
            self.count_lookup(domain, redirect.text)
            target = self.target(redirect, domain)
            if target is None:
                self.problem("redirect_missing", domain, f"{redirect.domain_spec} is not a valid domain name",
                             redirect.text)
            else:
                child = await self.follow(target, "redirect", node, stack, redirect.text, top)
                node.decides = child.decides if child is not None else None

    def target(self, term: Term, domain: str) -> str | None:
        """The DNS name a term queries: its domain-spec, macros expanded for AUDIT_SENDER (s7.3)."""
        spec = term.domain_spec or domain
        if term.has_macro:
            self.a.dynamic_terms.append(term.text)
            if "%{p" in spec.lower() and not self.ptr_looked_up:
                # %{p} makes check_host() look up the sender's PTR record (s7.3), void for this sender
                self.ptr_looked_up = True
                self.count_void(domain, term.text)
            expanded = expand_macros(spec, self.sender, domain)
            if expanded is None:
                return None
            spec = expanded
        return dns_name(spec)

    async def follow(
        self, target: str, via: str, node: Node, stack: tuple[str, ...], term: str, top: bool
    ) -> Node | None:
        if target in stack:
            self.problem("loop", node.domain, f"{' -> '.join((*stack, target))}", term)
            return None
        if self.a.lookups > LOOKUP_LIMIT + 20:
            return None  # far past the limit: the verdict is settled, stop generating queries
        child = await self.walk(target, via, (*stack, target), term, top)
        if child is not None:
            node.children.append(child)
        return child

    def settled(self, ans: DnsAnswer, domain: str, target: str, term: str, what: str) -> str | None:
        """"failed" (temperror) or "void" (s4.6.4) when the answer settles the term, else None."""
        if ans.failed:
            self.a.temperror = self.a.temperror or f"{target}: {ans.rcode}"
            self.problem("lookup_failed", domain, f"{target}: {what} failed", term)
            return "failed"
        if ans.void:
            self.count_void(domain, term)
            return "void"
        return None

    async def address_lookup(self, domain: str, target: str, term: str) -> str:
        """The A lookup of a/exists (s5.3, s5.7; AUDIT_SENDER is IPv4): "found", "void" or "failed"."""
        ans = await self.dns.query(target, "A")
        return self.settled(ans, domain, target, term, "DNS lookup") or "found"

    async def mx_lookup(self, domain: str, target: str, term: str) -> str:
        """The mx mechanism (s5.4): "found" if some exchange has an address, else "void" or "failed"."""
        ans = await self.dns.query(target, "MX")
        outcome = self.settled(ans, domain, target, term, "MX lookup")
        if outcome:
            return outcome
        if len(ans.records) > MX_NAMES_LIMIT:
            self.problem("mx_too_many", domain, f"{target} has {len(ans.records)} MX names", term)
            return "failed"
        # s5.4: check_host() then looks up the address records of every exchange; each one that comes back
        # empty is a void lookup too (s4.6.4), as the reference implementation counts it.
        exchanges = sorted((int(pref), name) for pref, name in (r.split(None, 1) for r in ans.records))
        result = "void"
        for _, exchange in exchanges:
            host = dns_name(exchange)
            if host is None:
                continue  # the null MX "." (RFC 7505): no address to look up
            found = await self.address_lookup(domain, host, term)
            if found == "failed":
                return found
            if found == "found":
                result = found
        return result


async def analyze_spf(dns: DnsClient, domain: str) -> SpfAnalysis:
    """Audit the SPF policy of ``domain`` using only ``dns`` (the scan's configured nameservers)."""
    domain = domain.rstrip(".").lower()
    analysis = SpfAnalysis(domain)
    walker = _Walker(dns, analysis)
    analysis.tree = await walker.walk(domain, "root", (domain,), None, True)
    return analysis
