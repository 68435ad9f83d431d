"""Audit an SPF policy as a whole (RFC 7208): follow include/redirect, count DNS-querying terms and void
lookups, detect loops and missing targets, and find the effective ``all``.

check_host() evaluates one sender address and stops at the first match; an audit has to assume the worst
case, a sender that matches nothing, so every term up to ``all`` is counted (s4.6.4 limits apply to it).
Terms whose domain-spec contains macros depend on the sender and are counted but not looked up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..dns_client import DnsClient
from .spf_syntax import DNS_MECHANISMS, ParsedRecord, is_spf_record, parse_record

LOOKUP_LIMIT = 10  # s4.6.4
VOID_LIMIT = 2  # s4.6.4
MX_NAMES_LIMIT = 10  # s4.6.4: an mx mechanism may look up at most 10 MX names
MAX_RECORDS_FOLLOWED = 40  # our own bound on work for hostile include trees

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
    def permerror(self) -> bool:
        return any(p.code in PERMERROR for p in self.problems)

    @property
    def result(self) -> str:
        if not self.found:
            return "none" if not self.temperror else "temperror"
        if self.permerror:
            return "permerror"
        return "temperror" if self.temperror else "ok"

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


class _Walker:
    def __init__(self, dns: DnsClient, analysis: SpfAnalysis) -> None:
        self.dns = dns
        self.a = analysis
        self.followed = 0

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
            if t.name == "all":
                has_all = True
                if top:
                    self.a.all_qualifier = t.qualifier
                break  # later mechanisms are never evaluated (s5.1)
            if top and t.qualifier == "+":
                self.a.authorising_terms += 1
            if t.name not in DNS_MECHANISMS:
                continue
            self.count_lookup(domain, t.text)
            if t.name == "ptr":
                self.a.ptr_used = True
                continue
            if t.has_macro:
                self.a.dynamic_terms.append(t.text)
                continue
            target = (t.domain_spec or domain).rstrip(".").lower()
            if t.name == "include":
                await self.follow(target, "include", node, stack, t.text, False)
            elif t.name == "a" or t.name == "exists":
                await self.address_lookup(domain, target, t.text, exists=t.name == "exists")
            elif t.name == "mx":
                await self.mx_lookup(domain, target, t.text)
        redirect = parsed.modifier("redirect")
        if redirect is not None and not has_all:  # s6.1: redirect is ignored when "all" is present
            self.count_lookup(domain, redirect.text)
            if redirect.has_macro:
                self.a.dynamic_terms.append(redirect.text)
            else:
                target = (redirect.domain_spec or "").rstrip(".").lower()
                await self.follow(target, "redirect", node, stack, redirect.text, top)

    async def follow(
        self, target: str, via: str, node: Node, stack: tuple[str, ...], term: str, top: bool
    ) -> None:
        if target in stack:
            self.problem("loop", node.domain, f"{' -> '.join((*stack, target))}", term)
            return
        if self.a.lookups > LOOKUP_LIMIT + 20:
            return  # far past the limit: the verdict is settled, stop generating queries
        child = await self.walk(target, via, (*stack, target), term, top)
        if child is not None:
            node.children.append(child)

    async def address_lookup(self, domain: str, target: str, term: str, *, exists: bool) -> None:
        if exists:
            ans = await self.dns.query(target, "A")
            answers = [ans]
        else:
            _, answers = await self.dns.addresses(target)
        if any(a.failed for a in answers):
            self.a.temperror = self.a.temperror or f"{target}: {answers[0].rcode}"
            self.problem("lookup_failed", domain, f"{target}: DNS lookup failed", term)
        elif all(a.void for a in answers):
            self.count_void(domain, term)

    async def mx_lookup(self, domain: str, target: str, term: str) -> None:
        ans = await self.dns.query(target, "MX")
        if ans.failed:
            self.a.temperror = self.a.temperror or f"{target}: {ans.rcode}"
            self.problem("lookup_failed", domain, f"{target}: MX lookup failed", term)
        elif ans.void:
            self.count_void(domain, term)
        elif len(ans.records) > MX_NAMES_LIMIT:
            self.problem("mx_too_many", domain, f"{target} has {len(ans.records)} MX names", term)


async def analyze_spf(dns: DnsClient, domain: str) -> SpfAnalysis:
    """Audit the SPF policy of ``domain`` using only ``dns`` (the scan's configured nameservers)."""
    domain = domain.rstrip(".").lower()
    analysis = SpfAnalysis(domain)
    walker = _Walker(dns, analysis)
    analysis.tree = await walker.walk(domain, "root", (domain,), None, True)
    return analysis
