"""mail.mta_sts: MTA-STS (RFC 8461): the TXT record, the policy served over verified HTTPS, and whether
the policy's MX patterns cover the MX hosts the domain really uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding, versioned_txt
from .mx import get_mx_set

CHECK = "mail.mta_sts"
MAX_POLICY_BYTES = 64 * 1024  # RFC 8461 s3.3: senders may limit the policy size; 64 KiB is generous
MAX_AGE_LIMIT = 31_557_600  # RFC 8461 s3.2: max_age at most one year
MAX_AGE_SHORT = 86_400  # shorter than a day protects little between refreshes
# RFC 8461 s3.1 (ABNF): sts-id = %s"id=" 1*32(ALPHA / DIGIT); sts-ext-name and sts-ext-value
_ID = re.compile(r"^[A-Za-z0-9]{1,32}\Z")
_STS_FIELD = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=([\x21-\x3a\x3c\x3e-\x7e]+)\Z")
_STS_DELIM = re.compile(r"[ \t]*;[ \t]*")  # sts-field-delim = *WSP ";" *WSP
# RFC 8461 s3.2: sts-policy-mx-value = ["*."] Domain, Domain and sub-domain as in RFC 5321 s4.1.2
# (Let-dig [Ldh-str]: no leading or trailing hyphen, no trailing dot)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_MX_PATTERN = re.compile(rf"^(\*\.)?{_LABEL}(?:\.{_LABEL})*\Z")
# RFC 8461 s3.2: sts-policy-field = name ":" *WSP value, trailing *WSP; names are case-sensitive (%s)
_POLICY_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*?)[ \t]*$")
_MAX_AGE = re.compile(r"^[0-9]{1,10}$")  # sts-policy-max-age-value = 1*10(DIGIT)
_MODES = ("enforce", "testing", "none")


def record_problem(text: str) -> str | None:
    """RFC 8461 s3.1: the TXT record must match sts-text-record exactly; the first id counts (s3.2)."""
    parts = _STS_DELIM.split(text)
    if parts[0] != "v=STSv1":
        return "the record must start with v=STSv1 followed by ';'"
    if parts[-1] == "":
        parts.pop()  # an optional trailing delimiter
    ident: str | None = None
    for part in parts[1:]:
        m = _STS_FIELD.match(part)
        if not m:
            return f"field {part[:40]!r} is not name=value (RFC 8461 s3.1)"
        if m.group(1) == "id" and ident is None:
            ident = m.group(2)
    if ident is None or not _ID.match(ident):
        return "id must be 1-32 letters and digits"
    return None


@dataclass(slots=True)
class StsPolicy:
    fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def first(self, key: str) -> str | None:
        # RFC 8461 s3.2: of a field other than mx that appears twice, only the first counts
        values = self.fields.get(key)
        return values[0] if values else None


def _value_problem(key: str, value: str) -> str | None:
    if key == "version" and value != "STSv1":
        return "version must be STSv1"
    if key == "mode" and value not in _MODES:
        return f"mode must be enforce, testing or none, not {value!r}"
    if key == "max_age" and not (_MAX_AGE.match(value) and int(value) <= MAX_AGE_LIMIT):
        return f"max_age must be an integer from 0 to {MAX_AGE_LIMIT}, not {value!r}"
    if key == "mx" and not _MX_PATTERN.match(value.lower()):
        return f"invalid mx pattern {value!r}"
    if key not in ("version", "mode", "max_age", "mx") and not value:
        return f"extension field {key!r} has no value"  # sts-policy-ext-value is not empty
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return f"control character in the value of {key!r}"
    return None


def parse_policy(text: str) -> StsPolicy:
    """RFC 8461 s3.2: "key: value" fields separated by LF or CRLF, one optional terminator at the end;
    version, mode and max_age required, mx unless mode is none; unknown fields allowed (and ignored)."""
    pol = StsPolicy()
    lines = text.split("\n")
    # [sts-policy-term] after the last field; extra blank lines at the very end are tolerated too, as
    # sending MTAs tolerate them: failing a policy that works everywhere would mislead the owner.
    while len(lines) > 1 and lines[-1].removesuffix("\r") == "":
        lines.pop()
    for line in lines:
        line = line.removesuffix("\r")  # sts-policy-term = LF / CRLF
        m = _POLICY_LINE.match(line)
        if not m:
            pol.problems.append(f"not a 'key: value' field {line[:60]!r}" if line else "empty line")
            continue
        key, value = m.groups()
        pol.fields.setdefault(key, []).append(value)
        problem = _value_problem(key, value)
        if problem:
            pol.problems.append(problem)
    for key in ("version", "mode", "max_age"):
        if key not in pol.fields:
            pol.problems.append(f"no {key} field")
    if pol.first("mode") in ("enforce", "testing") and "mx" not in pol.fields:
        pol.problems.append("no mx line")
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
    # RFC 8461 s3.1: records not beginning with "v=STSv1;" are discarded (*WSP before ";" per the ABNF)
    records, ev, failed = await versioned_txt(ctx, CHECK, f"_mta-sts.{ctx.domain}", r"^v=STSv1[ \t]*(;|$)")
    if failed:
        return [failed]
    if not records:
        if not mx.accepts_mail:
            return [finding(CHECK, "not_applicable", Status.INFO, evidence={**ev, "null_mx": mx.null_mx})]
        return [finding(CHECK, "missing", Status.WARN, Severity.LOW, -5, ev)]
    if len(records) > 1:  # RFC 8461 s3.1: senders then assume no MTA-STS
        return [finding(CHECK, "record_invalid", Status.FAIL, Severity.MEDIUM, -10,
                        {**ev, "problem": "more than one v=STSv1 record"})]
    problem = record_problem(records[0])
    if problem:  # RFC 8461 s3.1: senders then assume no MTA-STS policy
        return [finding(CHECK, "record_invalid", Status.FAIL, Severity.MEDIUM, -10, {**ev, "problem": problem})]
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
