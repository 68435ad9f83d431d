"""web.security_txt: /.well-known/security.txt per RFC 9116, parsed with sectxt on content fetched here.

sectxt is never asked to fetch (it would use the system resolver); its Parser reads the bytes we fetched.
"""

from __future__ import annotations

from typing import Any

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..outcomes import Outcomes
from ..registry import register

CHECK = "web.security_txt"
GROUP = "web"
PATH = "/.well-known/security.txt"
MAX_BYTES = 32 * 1024
OUT = Outcomes(CHECK, GROUP, {
    "ok": (Status.PASS, Severity.NONE, 0),
    "missing": (Status.WARN, Severity.LOW, -5),
    "no_contact": (Status.WARN, Severity.LOW, -5),
    "no_expires": (Status.WARN, Severity.LOW, -5),
    "expired": (Status.WARN, Severity.LOW, -5),
    "invalid": (Status.WARN, Severity.LOW, -5),
    "wrong_content_type": (Status.WARN, Severity.LOW, -5),
    "signed": (Status.INFO, Severity.NONE, 0),
    "no_canonical": (Status.INFO, Severity.NONE, 0),
    "no_https": (Status.INFO, Severity.NONE, 0),
    "error": (Status.ERROR, Severity.NONE, 0),
})
# sectxt error codes that have a finding of their own; every other error is "invalid"
_OWN_KEYS = {"no_contact": "no_contact", "no_expire": "no_expires", "expired": "expired"}


def evaluate(url: str, status: int, content_type: str | None, body: bytes) -> list[Finding]:
    """The verdicts for one fetched security.txt (no network: unit-testable on crafted bytes)."""
    evidence: dict[str, Any] = {"url": url, "status": status, "content_type": content_type}
    mime = (content_type or "").split(";")[0].strip().lower()
    if status != 200 or mime == "text/html":  # an HTML page is a soft 404, not a security.txt
        return [OUT.finding("missing", evidence)]
    from sectxt import Parser  # imported late: it builds a requests session at import time

    parser = Parser(body, urls=url)
    errors = [{"code": e["code"], "message": e["message"], "line": e.get("line")} for e in parser.errors]
    evidence["errors"] = errors[:20]
    evidence["content"] = body[:2000].decode("utf-8", "replace")
    findings: list[Finding] = []
    codes = {e["code"] for e in errors}
    for code, outcome in _OWN_KEYS.items():
        if code in codes:
            findings.append(OUT.finding(outcome, evidence))
    if codes - set(_OWN_KEYS) - {"invalid_media", "invalid_charset"}:
        findings.append(OUT.finding("invalid", evidence))
    if mime != "text/plain":
        findings.append(OUT.finding("wrong_content_type", evidence))
    if not findings:
        findings.append(OUT.finding("ok", evidence))
    recommendations = {r["code"] for r in parser.recommendations}
    if "not_signed" not in recommendations:
        findings.append(OUT.finding("signed", {"url": url}))
    if not any(line.get("field_name") == "canonical" for line in parser.lines):
        findings.append(OUT.finding("no_canonical", {"url": url}))
    return findings


@register(CHECK, area=Area.WEB, sweep=False)
async def check_security_txt(ctx: DomainContext) -> list[Finding]:
    """security.txt (RFC 9116) is published over HTTPS, with Contact and an Expires date in the future."""
    url = f"https://{ctx.domain}{PATH}"
    result = await ctx.http.fetch(url, headers={"Accept": "text/plain"}, max_body=MAX_BYTES)
    if result.error and result.error_kind == "tls" and result.error.startswith("certificate not trusted"):
        result = await ctx.http.fetch(url, headers={"Accept": "text/plain"}, max_body=MAX_BYTES, verify=False)
    if result.final is None:
        evidence = {"url": url, "error": result.error, "error_kind": result.error_kind}
        if result.error_kind in ("connect", "dns", "tls"):
            return [OUT.finding("no_https", evidence)]
        return [OUT.finding("error", evidence)]
    final = result.final
    if not final.url.startswith("https://"):
        return [OUT.finding("missing", {"url": url, "final_url": final.url, "note": "redirected away from HTTPS"})]
    return evaluate(final.url, final.status, final.header("content-type"), final.body)
