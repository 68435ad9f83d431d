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
_DIRECTIVE = re.compile(rf"\s*({_TOKEN})\s*(?:=\s*({_TOKEN}|\"(?:[^\"\\]|\\.)*\"))?\s*")


def parse_sts(value: str) -> dict[str, str | None] | None:
    """RFC 6797 section 6.1: directives separated by ';', each at most once, max-age required; else None."""
    directives: dict[str, str | None] = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        m = _DIRECTIVE.fullmatch(part)
        if m is None:
            return None
        name = m.group(1).lower()
        if name in directives:
            return None
        raw = m.group(2)
        directives[name] = raw[1:-1] if raw and raw.startswith('"') else raw
    max_age = directives.get("max-age")
    if max_age is None or not max_age.isdigit():
        return None
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
