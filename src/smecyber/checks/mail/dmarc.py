"""mail.dmarc: the DMARC policy that applies to the domain (RFC 9989) and where it came from."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding
from .dmarc_record import POLICIES, Discovery, DmarcRecord, discover, external_authorised, is_external_destination
from .mx import get_mx_set

CHECK = "mail.dmarc"
MAX_REPORT_DESTINATIONS = 5


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_dmarc(ctx: DomainContext) -> list[Finding]:
    """A DMARC record with an enforcing policy, valid tags and authorised report destinations."""
    d = await discover(ctx.dns, ctx.domain)
    ev: dict[str, object] = {"queried": d.queried, "records": d.records, "found_at": d.record_domain,
                             "source": d.source}
    if d.error:
        return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "error": d.error})]
    # RFC 9989 s4.10 steps 2/6: several records at one name are all discarded and the walk goes on, so a
    # parent's record may still apply; each such name is reported.
    out = [finding(CHECK, "multiple_records", Status.FAIL, Severity.HIGH, -25, {**ev, "multiple": d.multiple},
                   subject=name) for name in d.multiple]
    if d.source == "none":
        return out or [finding(CHECK, "missing", Status.FAIL, Severity.HIGH, -25, ev)]
    if d.source == "psd":
        return [*out, finding(CHECK, "psd_only", Status.WARN, Severity.MEDIUM, -15, ev)]
    rec = d.record
    assert rec is not None
    findings: list[Finding] = out
    if d.source == "organizational":
        findings.append(finding(CHECK, "inherited", Status.INFO, evidence=ev))
    findings.extend(_syntax(rec, ev))
    findings.extend(await _policy(ctx, d, rec, ev))
    findings.extend(await _reports(ctx, d, rec, ev))
    enforcing = any(f.key == f"{CHECK}.policy_reject" for f in findings)
    if enforcing and not any(f.status in (Status.FAIL, Status.WARN) for f in findings):
        findings.insert(0, finding(CHECK, "ok", Status.PASS, evidence={**ev, "tags": rec.tags}))
    return findings


def _syntax(rec: DmarcRecord, ev: dict[str, object]) -> list[Finding]:
    out = []
    for tag, problem in rec.errors:
        # an invalid p, sp or np voids the record's policy (RFC 9989 s4.10.1)
        severe = tag in ("v", "p", "sp", "np")
        out.append(finding(
            CHECK, "syntax_error", Status.FAIL if severe else Status.WARN,
            Severity.HIGH if severe else Severity.LOW, -20 if severe else -5,
            {**ev, "tag": tag, "problem": problem, "value": rec.tags.get(tag)}, subject=tag,
        ))
    if rec.historic:
        out.append(finding(CHECK, "historic_tag", Status.INFO, evidence={**ev, "tags": rec.historic}))
    if rec.unknown:
        out.append(finding(CHECK, "unknown_tag", Status.INFO, evidence={**ev, "tags": rec.unknown}))
    return out


async def _policy(ctx: DomainContext, d: Discovery, rec: DmarcRecord, ev: dict[str, object]) -> list[Finding]:
    # RFC 9989 s4.10.1: the domain's own record gives "p"; a parent's record gives "sp" if the domain exists
    # and "np" if it does not (NXDOMAIN, RFC 9989 s3.2.13).
    tag = "p" if d.source == "domain" else "sp"
    if tag == "sp" and "np" in rec.tags and (await ctx.dns.query(ctx.domain, "A")).nxdomain:
        tag = "np"
    applied = rec.policy_for(tag)
    pev = {**ev, "policy": applied, "policy_tag": tag, "effective_policy": rec.effective(applied), "tags": rec.tags}
    if rec.policy_invalid:
        pev["invalid_policy"] = "treated as p=none (valid rua)" if rec.applies else "record not applied (no valid rua)"
    out: list[Finding] = []
    if applied == "none":
        out.append(finding(CHECK, "policy_none", Status.WARN, Severity.MEDIUM, -15, pev))
    elif applied == "quarantine":
        out.append(finding(CHECK, "policy_quarantine", Status.INFO, Severity.LOW, -5, pev))
    elif applied == "reject":
        out.append(finding(CHECK, "policy_reject", Status.PASS, evidence=pev))
    if rec.testing and applied not in (None, "none"):  # t=y has no effect on a "none" policy (RFC 9989 s4.7)
        out.append(finding(CHECK, "testing", Status.WARN, Severity.MEDIUM, -10, pev))
    if d.source == "domain" and applied is not None:
        rank = POLICIES.index(applied)
        for sub, outcome in (("sp", "subdomain_policy_weaker"), ("np", "np_policy_weaker")):
            other = rec.policy_for(sub)
            if sub in rec.tags and other is not None and POLICIES.index(other) < rank:
                out.append(finding(CHECK, outcome, Status.WARN, Severity.LOW, -5, {**pev, sub: other}))
    mx = await get_mx_set(ctx)
    if mx.null_mx and applied != "reject":
        out.append(finding(CHECK, "null_mx_not_reject", Status.WARN, Severity.MEDIUM, -10, pev))
    return out


async def _reports(ctx: DomainContext, d: Discovery, rec: DmarcRecord, ev: dict[str, object]) -> list[Finding]:
    out: list[Finding] = []
    if not rec.report_uris.get("rua"):
        out.append(finding(CHECK, "no_rua", Status.INFO, Severity.LOW, 0, ev))
    policy_domain = d.record_domain or ctx.domain
    checked: set[str] = set()
    for tag in ("rua", "ruf"):
        for address in rec.report_uris.get(tag, []):
            dest = address.rsplit("@", 1)[-1].strip().lower().rstrip(".")
            if dest in checked or len(checked) >= MAX_REPORT_DESTINATIONS:
                continue
            checked.add(dest)
            if not await is_external_destination(ctx.dns, policy_domain, dest):
                continue
            ok = await external_authorised(ctx.dns, policy_domain, dest)
            dev = {**ev, "tag": tag, "address": address,
                   "authorisation_record": f"{policy_domain}._report._dmarc.{dest}"}
            if ok is None:
                out.append(finding(CHECK, "external_lookup_failed", Status.ERROR, evidence=dev, subject=dest))
            elif not ok:
                out.append(finding(CHECK, "external_unauthorised", Status.WARN, Severity.LOW, -5, dev, dest))
    return out
