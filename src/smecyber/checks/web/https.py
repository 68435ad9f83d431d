"""web.https: is the domain's home page reachable over HTTPS with a certificate the configured CAs trust?"""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..net import NO_ADDRESS
from ..outcomes import Outcomes
from ..registry import register
from .retrieval import session

CHECK = "web.https"
GROUP = "web"
# (status, severity, points) per outcome; an untrusted certificate is its own finding, not "no HTTPS"
OUT = Outcomes(CHECK, GROUP, {
    "ok": (Status.PASS, Severity.NONE, 0),
    "missing": (Status.FAIL, Severity.HIGH, -50),
    "no_website": (Status.INFO, Severity.NONE, 0),
    "untrusted_certificate": (Status.FAIL, Severity.HIGH, -40),
    "handshake_failed": (Status.FAIL, Severity.HIGH, -40),
    "error": (Status.ERROR, Severity.NONE, 0),
})



@register(CHECK, area=Area.WEB, sweep=True)
async def check_https(ctx: DomainContext) -> list[Finding]:
    """HTTPS is reachable on port 443 with a trusted certificate."""
    s = await session(ctx, "https")
    url = s.start_url
    if s.cert_error and s.cert_error_url == url:
        return [OUT.finding("untrusted_certificate", {"url": url, "error": s.cert_error})]
    first = s.first
    if first is not None and first.url == url:
        return [OUT.finding("ok", {"url": url, "status": first.status})]
    evidence = {"url": url, "error": s.error, "error_kind": s.error_kind}
    resolved = await ctx.resolver.resolve(ctx.domain)  # cached: the session above resolved it already
    if resolved.error == NO_ADDRESS:
        # the domain has no address at all (a mail-only domain): nothing to grade, see scoring.py
        return [OUT.finding("no_website", evidence)]
    if s.error_kind in ("connect", "dns"):
        return [OUT.finding("missing", evidence)]
    if s.error_kind == "tls":
        return [OUT.finding("handshake_failed", evidence)]
    return [OUT.finding("error", evidence)]
