"""mail.tlsrpt: SMTP TLS reporting record at ``_smtp._tls.<domain>`` (RFC 8460 s3)."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding, parse_tag_list
from .mx import get_mx_set

CHECK = "mail.tlsrpt"


def record_problems(text: str) -> list[str]:
    pairs, bad = parse_tag_list(text)
    problems = [f"not a tag=value pair: {b!r}" for b in bad]
    tags = dict(pairs)
    if not pairs or pairs[0] != ("v", "TLSRPTv1"):
        problems.append("v=TLSRPTv1 must come first")
    rua = tags.get("rua")
    if not rua:
        problems.append("the rua tag is missing")
    else:
        for uri in (u.strip() for u in rua.split(",")):
            low = uri.lower()
            if not ((low.startswith("mailto:") and "@" in uri) or low.startswith("https://")):
                problems.append(f"rua must be mailto: or https: URIs, not {uri!r}")
    return problems


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_tlsrpt(ctx: DomainContext) -> list[Finding]:
    """A single valid v=TLSRPTv1 record with mailto:/https: report addresses."""
    name = f"_smtp._tls.{ctx.domain}"
    ans = await ctx.dns.txt(name)
    ev: dict[str, object] = {"name": name, "records": ans.records}
    if ans.failed:
        return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "error": ans.error or ans.rcode})]
    # RFC 8460 s3: keep records starting with the version; anything but exactly one means "no TLSRPT"
    records = [r for r in ans.records if r.startswith("v=TLSRPTv1")]
    mx = await get_mx_set(ctx)
    if not records:
        if not mx.accepts_mail:
            return [finding(CHECK, "not_applicable", Status.INFO, evidence=ev)]
        return [finding(CHECK, "missing", Status.INFO, Severity.LOW, 0, ev)]
    if len(records) > 1:
        return [finding(CHECK, "multiple_records", Status.WARN, Severity.LOW, -5, ev)]
    problems = record_problems(records[0])
    if problems:
        return [finding(CHECK, "invalid", Status.WARN, Severity.LOW, -5, {**ev, "problems": problems})]
    return [finding(CHECK, "ok", Status.PASS, evidence=ev)]
