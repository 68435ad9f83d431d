"""mail.mta_sts: MTA-STS (RFC 8461): the TXT record, the policy served over verified HTTPS, and whether
the policy's MX patterns cover the MX hosts the domain really uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding, parse_tag_list
from .mx import get_mx_set

CHECK = "mail.mta_sts"
MAX_POLICY_BYTES = 64 * 1024  # RFC 8461 s3.3: senders may limit the policy size; 64 KiB is generous
MAX_AGE_LIMIT = 31_557_600  # RFC 8461 s3.2: max_age at most one year
MAX_AGE_SHORT = 86_400  # shorter than a day protects little between refreshes
_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")
_MX_PATTERN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+\.?$")


@dataclass(slots=True)
class StsPolicy:
    fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def first(self, key: str) -> str | None:
        values = self.fields.get(key)
        return values[0] if values else None


def parse_policy(text: str) -> StsPolicy:
    """RFC 8461 s3.2: "key: value" lines; version, mode and max_age required, mx unless mode is none."""
    pol = StsPolicy()
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            pol.problems.append(f"line without ':' {line[:60]!r}")
            continue
        pol.fields.setdefault(key.strip().lower(), []).append(value.strip())
    if pol.first("version") != "STSv1":
        pol.problems.append("version must be STSv1")
    mode = pol.first("mode")
    if mode not in ("enforce", "testing", "none"):
        pol.problems.append(f"mode must be enforce, testing or none, not {mode!r}")
    age = pol.first("max_age")
    if age is None or not age.isdigit() or int(age) > MAX_AGE_LIMIT:
        pol.problems.append(f"max_age must be an integer from 0 to {MAX_AGE_LIMIT}, not {age!r}")
    mxs = pol.fields.get("mx", [])
    if mode in ("enforce", "testing") and not mxs:
        pol.problems.append("no mx line")
    for pattern in mxs:
        if not _MX_PATTERN.match(pattern.lower()):
            pol.problems.append(f"invalid mx pattern {pattern!r}")
    return pol


def mx_matches(host: str, pattern: str) -> bool:
    """RFC 8461 s4.1: exact match, or "*." matching exactly one left-most label."""
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        _, _, rest = host.partition(".")
        return rest == pattern[2:] and bool(rest)
    return host == pattern


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_mta_sts(ctx: DomainContext) -> list[Finding]:
    """MTA-STS record and policy valid, mode enforce, MX patterns matching the real MX hosts."""
    mx = await get_mx_set(ctx)
    name = f"_mta-sts.{ctx.domain}"
    ans = await ctx.dns.txt(name)
    ev: dict[str, object] = {"name": name, "records": ans.records}
    if ans.failed:
        return [finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "error": ans.error or ans.rcode})]
    records = [r for r in ans.records if re.match(r"^v=STSv1\s*(;|$)", r)]
    if not records:
        if not mx.accepts_mail:
            return [finding(CHECK, "not_applicable", Status.INFO, evidence={**ev, "null_mx": mx.null_mx})]
        return [finding(CHECK, "missing", Status.WARN, Severity.LOW, -5, ev)]
    if len(records) > 1:  # RFC 8461 s3.1: senders then assume no MTA-STS
        return [finding(CHECK, "record_invalid", Status.FAIL, Severity.MEDIUM, -10,
                        {**ev, "problem": "more than one v=STSv1 record"})]
    tags = dict(parse_tag_list(records[0])[0])
    if not _ID.match(tags.get("id", "")):
        return [finding(CHECK, "record_invalid", Status.FAIL, Severity.MEDIUM, -10,
                        {**ev, "problem": "id must be 1-32 letters and digits"})]
    url = f"https://mta-sts.{ctx.domain}/.well-known/mta-sts.txt"
    ev["policy_url"] = url
    # RFC 8461 s3.3: a verified certificate for mta-sts.<domain>, no redirects followed, 200 only
    fetched = await ctx.http.fetch(url, follow=False, max_body=MAX_POLICY_BYTES, verify=True)
    resp = fetched.final
    if resp is None or resp.status != 200:
        error = fetched.error or (f"HTTP {resp.status}" if resp else "no response")
        return [finding(CHECK, "policy_unavailable", Status.FAIL, Severity.HIGH, -20,
                        {**ev, "error": error, "error_kind": fetched.error_kind})]
    policy = parse_policy(resp.text)
    ctype = (resp.header("content-type") or "").split(";")[0].strip().lower()
    if ctype != "text/plain":
        policy.problems.append(f"served as {ctype or 'no content type'}, not text/plain")
    ev["policy"] = {k: v for k, v in policy.fields.items()}
    if resp.truncated:
        policy.problems.append(f"larger than {MAX_POLICY_BYTES} bytes")
    if policy.problems:
        return [finding(CHECK, "policy_invalid", Status.FAIL, Severity.MEDIUM, -15,
                        {**ev, "problems": policy.problems})]
    return _judge(policy, [h.host for h in mx.hosts], ev)


def _judge(policy: StsPolicy, hosts: list[str], ev: dict[str, object]) -> list[Finding]:
    out: list[Finding] = []
    mode = policy.first("mode")
    patterns = policy.fields.get("mx", [])
    unmatched = [h for h in hosts if not any(mx_matches(h, p) for p in patterns)]
    if mode == "none":
        out.append(finding(CHECK, "mode_none", Status.WARN, Severity.LOW, -5, ev))
    elif unmatched:
        # in enforce mode senders refuse to deliver to an MX the policy does not list
        enforce = mode == "enforce"
        out.append(finding(CHECK, "mx_mismatch", Status.FAIL if enforce else Status.WARN,
                           Severity.HIGH if enforce else Severity.LOW, -20 if enforce else -5,
                           {**ev, "unmatched_mx": unmatched, "mx_hosts": hosts}))
    if mode == "testing":
        out.append(finding(CHECK, "testing", Status.INFO, Severity.LOW, -3, ev))
    age = int(policy.first("max_age") or 0)
    if mode != "none" and age < MAX_AGE_SHORT:
        out.append(finding(CHECK, "max_age_short", Status.INFO, Severity.LOW, 0, {**ev, "max_age": age}))
    if mode == "enforce" and not unmatched:
        out.insert(0, finding(CHECK, "ok", Status.PASS, evidence=ev))
    return out
