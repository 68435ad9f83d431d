"""dns.caa: which certificate authorities may issue certificates for the domain (RFC 8659).

The relevant CAA record set is the one at the domain or, if it has none, at its closest ancestor that has
one (tree climbing, RFC 8659 s3). The climb goes up to the TLD inclusive and stops only at the root, as the
RFC's RelevantCAASet does ("for domain is not '.'"): a CA honours a TLD's CAA too.
A lookup failure is reported, not skipped: a CA that cannot read CAA must refuse to issue.
"""

from __future__ import annotations

from typing import Any

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .caa_syntax import CRITICAL_FLAG, KNOWN_TAGS, record_problems

CHECK = "dns.caa"


@register(CHECK, area=Area.DNS, sweep=True)
async def check_caa(ctx: DomainContext) -> list[Finding]:
    """CAA records: present at the domain or its closest ancestor, each one valid."""
    checked: list[str] = []
    for name in caa_names(ctx.domain):
        answer = await ctx.dns.query(name, "CAA")
        checked.append(name)
        if answer.failed:
            evidence = {"checked": checked, "rcode": answer.rcode, "error": answer.error}
            return [_finding("dns.caa.lookup_failed", Status.ERROR, Severity.NONE, 0, evidence)]
        if answer.rrset is not None and len(answer.rrset):
            return _judge(name, answer.rrset, checked)
    evidence = {"checked": checked}
    return [_finding("dns.caa.missing", Status.WARN, Severity.LOW, -10, evidence)]


def caa_names(domain: str) -> list[str]:
    """RFC 8659 s3: the domain and every ancestor, nearest first, the TLD included, the root excluded."""
    labels = domain.rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _judge(found_at: str, rrset: Any, checked: list[str]) -> list[Finding]:
    records: list[str] = []
    problems: list[dict[str, str]] = []
    unknown_critical: list[str] = []
    ignored: list[str] = []
    tags: set[str] = set()
    for rdata in rrset:
        tag = rdata.tag.decode("ascii", "replace").lower()
        value = rdata.value.decode("utf-8", "replace")
        text = rdata.to_text()
        records.append(text)
        tags.add(tag)
        for problem in record_problems(rdata.flags, tag, value):
            problems.append({"record": text, "problem": problem})
        if tag not in KNOWN_TAGS:
            # RFC 8659 s4.1: an unknown tag with the critical flag forbids every CA to issue.
            (unknown_critical if rdata.flags & CRITICAL_FLAG else ignored).append(text)
    evidence: dict[str, Any] = {"found_at": found_at, "checked": checked, "records": sorted(records)}
    if ignored:
        evidence["ignored_unknown_tags"] = sorted(ignored)
    findings: list[Finding] = []
    if unknown_critical:
        findings.append(_finding("dns.caa.unknown_critical", Status.FAIL, Severity.HIGH, -30,
                                 {**evidence, "critical_unknown": sorted(unknown_critical)}))
    if problems:
        findings.append(_finding("dns.caa.invalid", Status.WARN, Severity.MEDIUM, -10,
                                 {**evidence, "problems": problems}))
    if "issue" not in tags:
        # Only iodef/issuemail/...: web certificates are not restricted at all. issuewild alone does not
        # count: RFC 8659 s4.3 says issuewild is ignored for non-wildcard names, so any CA may issue those.
        findings.append(_finding("dns.caa.no_issue", Status.WARN, Severity.LOW, -5, evidence))
    if not findings:
        findings.append(_finding("dns.caa.ok", Status.PASS, Severity.NONE, 0, evidence))
    return findings


def _finding(key: str, status: Status, severity: Severity, points: int, evidence: dict[str, Any]) -> Finding:
    return Finding(check=CHECK, key=key, status=status, severity=severity, evidence=evidence, points=points,
                   score_group="dns")

