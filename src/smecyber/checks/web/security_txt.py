"""web.security_txt: /.well-known/security.txt per RFC 9116, parsed with sectxt on content fetched here.

sectxt is never asked to fetch (it would use the system resolver); its Parser reads the bytes we fetched.
"""

from __future__ import annotations

from email.message import Message
from typing import Any

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..net import FetchResult
from ..outcomes import Outcomes
from ..registry import register

CHECK = "web.security_txt"
GROUP = "web"
PATH = "/.well-known/security.txt"
LEGACY_PATH = "/security.txt"  # RFC 9116 s3: the legacy location, tried when /.well-known/ has no file
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
    "long_expiry": (Status.INFO, Severity.NONE, 0),
    "no_canonical": (Status.INFO, Severity.NONE, 0),
    "no_https": (Status.INFO, Severity.NONE, 0),
    "error": (Status.ERROR, Severity.NONE, 0),
})
# sectxt error codes that have a finding of their own; every other error is "invalid"
_OWN_KEYS = {"no_contact": "no_contact", "no_expire": "no_expires", "expired": "expired"}
# the HTTP-level error codes of sectxt's SecurityTXT (and internet.nl) about the Content-Type header
_CONTENT_TYPE_CODES = {"no_content_type", "invalid_media", "invalid_charset"}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "line": None}


def content_type_errors(content_type: str | None) -> list[dict[str, Any]]:
    """RFC 9116 s3: Content-Type text/plain, charset utf-8 when a charset is given (utf-8 is the default).

    The codes are sectxt's (SecurityTXT) and internet.nl's; media type and charset compare case-insensitively
    (RFC 9110 s8.3.1), where sectxt's own comparison of the media type is case-sensitive.
    """
    if content_type is None:
        return [_error("no_content_type", "HTTP Content-Type header must be sent.")]
    msg = Message()
    msg["content-type"] = content_type
    params = msg.get_params() or [("", "")]
    errors = []
    if params[0][0].strip().lower() != "text/plain":
        errors.append(_error("invalid_media", "Media type in Content-Type header must be 'text/plain'."))
    charset = str(dict(params[1:]).get("charset", "utf-8")).strip().lower()
    if charset not in ("utf-8", "csutf8"):
        errors.append(_error("invalid_charset", "Charset parameter in Content-Type header must be 'utf-8'."))
    return errors


def evaluate(url: str, status: int, content_type: str | None, body: bytes, *, urls: list[str] | None = None,
             transport_errors: list[dict[str, Any]] | None = None) -> list[Finding]:
    """The verdicts for one fetched security.txt (no network: unit-testable on crafted bytes).

    ``urls`` are the URIs a Canonical field may match: the requested and the final one after redirects
    (RFC 9116 s2.5.2; sectxt accepts either end of the redirect chain). ``transport_errors`` are errors found
    while fetching (legacy location, untrusted certificate), in sectxt's codes.
    """
    evidence: dict[str, Any] = {"url": url, "status": status, "content_type": content_type}
    mime = (content_type or "").split(";")[0].strip().lower()
    if status != 200 or mime == "text/html":  # an HTML page is a soft 404, not a security.txt
        return [OUT.finding("missing", evidence)]
    from sectxt import Parser  # imported late: it builds a requests session at import time

    errors = [*(transport_errors or []), *content_type_errors(content_type)]
    evidence["content"] = body[:2000].decode("utf-8", "replace")
    try:
        parser = Parser(body, urls=urls or [url])
    except (ValueError, OverflowError) as exc:
        # sectxt 0.9.8 crashes on some Expires values (e.g. a 20-digit year, offset +99:99): such a date is
        # not RFC 3339 (RFC 9116 s2.5.5), so the file is invalid
        evidence["errors"] = [*errors, _error("invalid_expiry", f"'Expires' could not be parsed: {exc}")][:20]
        findings = [OUT.finding("invalid", evidence)]
        if {e["code"] for e in errors} & _CONTENT_TYPE_CODES:
            findings.append(OUT.finding("wrong_content_type", evidence))
        return findings
    errors += [{"code": e["code"], "message": e["message"], "line": e.get("line")} for e in parser.errors]
    evidence["errors"] = errors[:20]
    findings: list[Finding] = []
    codes = {e["code"] for e in errors}
    for code, outcome in _OWN_KEYS.items():
        if code in codes:
            findings.append(OUT.finding(outcome, evidence))
    if codes - set(_OWN_KEYS) - _CONTENT_TYPE_CODES:
        findings.append(OUT.finding("invalid", evidence))
    if codes & _CONTENT_TYPE_CODES:
        findings.append(OUT.finding("wrong_content_type", evidence))
    if not findings:
        findings.append(OUT.finding("ok", evidence))
    recommendations = {r["code"] for r in parser.recommendations}
    if "long_expiry" in recommendations:  # RFC 9116 s2.5.5: less than a year ahead is RECOMMENDED
        findings.append(OUT.finding("long_expiry", {"url": url, "expires": [
            line["value"] for line in parser.lines if line.get("field_name") == "expires"]}))
    if "not_signed" not in recommendations:
        findings.append(OUT.finding("signed", {"url": url}))
    if not any(line.get("field_name") == "canonical" for line in parser.lines):
        findings.append(OUT.finding("no_canonical", {"url": url}))
    return findings


@register(CHECK, area=Area.WEB, sweep=False)
async def check_security_txt(ctx: DomainContext) -> list[Finding]:
    """security.txt (RFC 9116) is published over HTTPS, with Contact and an Expires date in the future."""
    url = f"https://{ctx.domain}{PATH}"
    result, untrusted = await _fetch(ctx, url)
    if result.final is None:
        evidence = {"url": url, "error": result.error, "error_kind": result.error_kind}
        if result.error_kind in ("connect", "dns", "tls"):
            return [OUT.finding("no_https", evidence)]
        return [OUT.finding("error", evidence)]
    transport_errors: list[dict[str, Any]] = []
    if result.final.status != 200:
        # RFC 9116 s3: a file at the legacy top-level path counts, but "location" is an error there
        # (internet.nl and sectxt both fall back to it when /.well-known/ gives no 200)
        legacy_url = f"https://{ctx.domain}{LEGACY_PATH}"
        legacy, legacy_untrusted = await _fetch(ctx, legacy_url)
        lfinal = legacy.final
        if lfinal is not None and lfinal.status == 200 and not _is_html(lfinal.header("content-type")):
            url, result, untrusted = legacy_url, legacy, legacy_untrusted
            transport_errors.append(_error("location", "security.txt was found at the legacy /security.txt; "
                                                       "it must be under /.well-known/."))
    final = result.final
    assert final is not None
    if not final.url.startswith("https://"):
        return [OUT.finding("missing", {"url": url, "final_url": final.url, "note": "redirected away from HTTPS"})]
    if untrusted:  # sectxt: invalid_cert (RFC 9116 s3: the file MUST be fetched over valid HTTPS)
        transport_errors.append(_error("invalid_cert", "security.txt must be served with a valid TLS certificate."))
    urls = list(dict.fromkeys([url, final.url]))
    return evaluate(final.url, final.status, final.header("content-type"), final.body, urls=urls,
                    transport_errors=transport_errors)


def _is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/html"


async def _fetch(ctx: DomainContext, url: str) -> tuple[FetchResult, bool]:
    """GET ``url`` (redirects followed); retried without verification after a certificate error (-> True)."""
    result = await ctx.http.fetch(url, headers={"Accept": "text/plain"}, max_body=MAX_BYTES)
    if result.error and result.error_kind == "tls" and result.error.startswith("certificate not trusted"):
        return await ctx.http.fetch(url, headers={"Accept": "text/plain"}, max_body=MAX_BYTES, verify=False), True
    return result, False
