"""mail.spf: the domain's SPF policy audited as a whole (RFC 7208), see spf_analyzer.py."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding
from .mx import get_mx_set
from .spf_analyzer import analyze_spf

CHECK = "mail.spf"

# problem code -> finding outcome; every one of them is a permerror: receivers ignore the whole policy
_PERMERROR_OUTCOMES = {
    "multiple_records": "multiple_records",
    "syntax": "syntax_error",
    "too_many_lookups": "too_many_lookups",
    "too_many_void_lookups": "too_many_void_lookups",
    "mx_too_many": "mx_too_many",
    "include_missing": "include_missing",
    "redirect_missing": "include_missing",
    "loop": "loop",
}


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_spf(ctx: DomainContext) -> list[Finding]:
    """One valid v=spf1 record within the lookup limits, ending in -all (or ~all)."""
    analysis = await analyze_spf(ctx.dns, ctx.domain)
    ev: dict[str, object] = {
        "records": analysis.records,
        "lookups": analysis.lookups,
        "void_lookups": analysis.void_lookups,
        "chain": analysis.tree.to_dict() if analysis.tree else None,
    }
    if analysis.dynamic_terms:
        ev["macro_terms"] = analysis.dynamic_terms  # expanded for a sender that matches nothing
    if not analysis.found:
        if analysis.temperror:
            return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "error": analysis.temperror})]
        return [finding(CHECK, "missing", Status.FAIL, Severity.HIGH, -25, ev)]
    if analysis.result == "temperror":
        # check_host() meets a DNS failure before any permanent error: the verdict is temperror (s4.4, s5.2);
        # permanent problems found further on are kept in the evidence.
        problems = [q.to_dict() for q in analysis.problems]
        return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "problems": problems})]
    findings: list[Finding] = []
    seen: set[str] = set()
    for p in analysis.problems:
        outcome = _PERMERROR_OUTCOMES.get(p.code)
        if outcome is None or outcome in seen:
            continue
        seen.add(outcome)
        problems = [q.to_dict() for q in analysis.problems if _PERMERROR_OUTCOMES.get(q.code) == outcome]
        findings.append(finding(CHECK, outcome, Status.FAIL, Severity.HIGH, -25, {**ev, "problems": problems}))
    if findings:
        return findings  # a permerror voids the policy: the all qualifier no longer matters
    ev["all"] = analysis.all_qualifier
    q = analysis.all_qualifier
    if q == "+":
        findings.append(finding(CHECK, "plus_all", Status.FAIL, Severity.HIGH, -30, ev))
    elif q in ("?", None):
        findings.append(finding(CHECK, "neutral_all", Status.WARN, Severity.MEDIUM, -15, ev))
    elif q == "~":
        findings.append(finding(CHECK, "softfail_all", Status.INFO, Severity.LOW, 0, ev))
    if analysis.ptr_used:
        findings.append(finding(CHECK, "ptr_used", Status.WARN, Severity.LOW, -5, ev))
    mx = await get_mx_set(ctx)
    if mx.null_mx and (q != "-" or analysis.authorising_terms):
        # RFC 7505 s4.2: a domain that receives no mail usually sends none either: "v=spf1 -all"
        findings.append(finding(CHECK, "null_mx_not_strict", Status.WARN, Severity.MEDIUM, -10, ev))
    if not any(f.status in (Status.FAIL, Status.WARN) for f in findings):
        findings.insert(0, finding(CHECK, "ok", Status.PASS, evidence=ev))
    return findings
