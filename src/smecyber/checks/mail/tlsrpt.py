"""mail.tlsrpt: SMTP TLS reporting record at ``_smtp._tls.<domain>`` (RFC 8460 s3)."""

from __future__ import annotations

import re

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding, versioned_txt
from .mx import get_mx_set

CHECK = "mail.tlsrpt"


# RFC 8460 s3 (ABNF): field-delim = *WSP ";" *WSP; tlsrpt-ext-name / tlsrpt-ext-value; rua URIs are
# separated by *WSP "," *WSP, and a "!" inside a URI must be percent-encoded
_DELIM = re.compile(r"[ \t]*;[ \t]*")
_FIELD = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=(.*)\Z", re.S)
_EXT_VALUE = re.compile(r"^[\x21-\x3a\x3c\x3e-\x7e]+\Z")
_URI_SEP = re.compile(r"[ \t]*,[ \t]*")
_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@$&'()*+;=%]+\Z")  # RFC 3986 characters without "!" and ","


def record_problems(text: str) -> list[str]:
    """RFC 8460 s3: tlsrpt-record = v=TLSRPTv1 1*(field-delim tlsrpt-field) [field-delim]; rua required."""
    parts = _DELIM.split(text)
    if parts[0] != "v=TLSRPTv1":
        return ["v=TLSRPTv1 must come first"]
    if parts[-1] == "":
        parts.pop()  # optional trailing delimiter
    problems: list[str] = []
    rua: str | None = None
    for part in parts[1:]:
        m = _FIELD.match(part)
        if not m:
            problems.append(f"not a tag=value pair: {part!r}")
            continue
        tag, value = m.groups()
        if tag == "rua":  # %s"rua=": the tag name is case-sensitive
            rua = value if rua is None else rua
        elif not _EXT_VALUE.match(value):
            problems.append(f"invalid value for extension field {tag!r}: {value!r}")
    if rua is None:
        problems.append("the rua tag is missing")
        return problems
    for uri in _URI_SEP.split(rua):
        low = uri.lower()
        scheme_ok = (low.startswith("mailto:") and "@" in uri) or low.startswith("https://")
        if not scheme_ok or not _URI_CHARS.match(uri):
            problems.append(f"rua must be mailto: or https: URIs, not {uri!r}")
    return problems


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_tlsrpt(ctx: DomainContext) -> list[Finding]:
    """A single valid v=TLSRPTv1 record with mailto:/https: report addresses."""
    # RFC 8460 s3: keep records beginning with "v=TLSRPTv1;" (*WSP allowed before ";"); anything but
    # exactly one means "no TLSRPT"
    records, ev, failed = await versioned_txt(ctx, CHECK, f"_smtp._tls.{ctx.domain}", r"v=TLSRPTv1[ \t]*(;|\Z)")
    if failed:
        return [failed]
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
