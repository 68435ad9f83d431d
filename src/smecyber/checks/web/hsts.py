"""web.hsts: Strict-Transport-Security on the HTTPS home page (RFC 6797 syntax, internet.nl's one-year rule)."""

from __future__ import annotations

import re

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..outcomes import Outcomes
from ..registry import register
from .retrieval import session

CHECK = "web.hsts"
GROUP = "web"
ONE_YEAR = 31536000  # internet.nl: max-age of at least one year is good
OUT = Outcomes(CHECK, GROUP, {
    "ok": (Status.PASS, Severity.NONE, 0),
    "missing": (Status.FAIL, Severity.MEDIUM, -20),
    "invalid": (Status.FAIL, Severity.MEDIUM, -20),
    "disabled": (Status.FAIL, Severity.MEDIUM, -20),
    "max_age_short": (Status.WARN, Severity.LOW, -10),
    "no_include_subdomains": (Status.INFO, Severity.NONE, 0),
    "preload": (Status.INFO, Severity.NONE, 0),
    "no_https": (Status.INFO, Severity.NONE, 0),
})
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
# RFC 6797 s6.1 with RFC 2616 s2.2: quoted-string = <"> *(qdtext | quoted-pair) <">; LWS is SP / HT only
_QUOTED = r'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
_DIRECTIVE = re.compile(rf"[ \t]*(?:({_TOKEN})[ \t]*(?:=[ \t]*({_TOKEN}|{_QUOTED}))?[ \t]*)?")
_QUOTED_PAIR = re.compile(r"\\(.)")
_DELTA_SECONDS = re.compile(r"[0-9]+")  # RFC 6797 s6.1.1: delta-seconds = 1*DIGIT (ASCII digits only)


def parse_sts(value: str) -> dict[str, str | None] | None:
    """RFC 6797 section 6.1: directives separated by ';', each at most once, max-age required; else None."""
    directives: dict[str, str | None] = {}
    pos = 0
    while True:  # scanned, not split on ';': a quoted-string may hold one
        m = _DIRECTIVE.match(value, pos)  # always matches: an empty directive is allowed
        assert m is not None
        if m.group(1):
            name = m.group(1).lower()
            if name in directives:
                return None
            raw = m.group(2)
            # s6.1.1: the value is taken "after quoted-string unescaping"
            directives[name] = _QUOTED_PAIR.sub(r"\1", raw[1:-1]) if raw and raw.startswith('"') else raw
        pos = m.end()
        if pos == len(value):
            break
        if value[pos] != ";":
            return None
        pos += 1
    max_age = directives.get("max-age")
    if max_age is None or not _DELTA_SECONDS.fullmatch(max_age):
        return None
    if directives.get("includesubdomains") is not None:
        return None  # s6.1.2: includeSubDomains is valueless; s6.1 rule 4: a non-conforming header is ignored
    return directives


@register(CHECK, area=Area.WEB, sweep=True)
async def check_hsts(ctx: DomainContext) -> list[Finding]:
    """HSTS is sent on HTTPS with a max-age of at least a year."""
    s = await session(ctx, "https")
    first = s.first
    if first is None or first.url != s.start_url:
        return [OUT.finding("no_https", {"url": s.start_url, "error": s.error})]
    # browsers apply the first header only; the response of https://domain/ itself sets HSTS for the domain
    headers = first.header_all("strict-transport-security")
    evidence: dict[str, object] = {"url": first.url, "headers": headers}
    if not s.verified:
        evidence["note"] = "browsers ignore HSTS sent with an untrusted certificate"
    if not headers:
        return [OUT.finding("missing", evidence)]
    parsed = parse_sts(headers[0])
    if parsed is None:
        return [OUT.finding("invalid", evidence)]
    max_age = int(parsed["max-age"] or 0)
    evidence["max_age"] = max_age
    if max_age == 0:
        return [OUT.finding("disabled", evidence)]
    findings = [OUT.finding("max_age_short" if max_age < ONE_YEAR else "ok", evidence)]
    if "includesubdomains" not in parsed:
        findings.append(OUT.finding("no_include_subdomains", {"header": headers[0]}))
    if "preload" in parsed:
        findings.append(OUT.finding("preload", {"header": headers[0]}))
    return findings
