"""web.redirect: http:// sends visitors to https://, first on the same host (the internet.nl rule)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..outcomes import Outcomes
from ..registry import register
from .retrieval import REDIRECT_STATUSES, Session, session

CHECK = "web.redirect"
GROUP = "web"
OUT = Outcomes(CHECK, GROUP, {
    "ok": (Status.PASS, Severity.NONE, 0),
    "no_http": (Status.INFO, Severity.NONE, 0),  # nothing listens on port 80: nothing to redirect
    "missing": (Status.FAIL, Severity.MEDIUM, -20),
    "not_to_https": (Status.FAIL, Severity.MEDIUM, -20),
    "first_hop_not_https": (Status.WARN, Severity.LOW, -10),
    "first_hop_other_host": (Status.WARN, Severity.LOW, -5),
    "loop": (Status.FAIL, Severity.MEDIUM, -20),
    "error": (Status.ERROR, Severity.NONE, 0),
})


@register(CHECK, area=Area.WEB, sweep=True)
async def check_redirect(ctx: DomainContext) -> list[Finding]:
    """http:// redirects to https:// on the same host first."""
    return evaluate(ctx.domain, await session(ctx, "http"))


def evaluate(domain: str, s: Session) -> list[Finding]:
    """The verdict for the ``http://domain/`` session (no network: unit-testable on crafted sessions)."""
    route = [(h.url, h.status) for h in s.hops]
    evidence: dict[str, object] = {"route": [f"{status} {url}" for url, status in route][:12]}
    first = s.first
    if first is None:
        evidence |= {"error": s.error, "error_kind": s.error_kind}
        return [OUT.finding("no_http" if s.error_kind in ("connect", "dns") else "error", evidence)]
    if first.status not in REDIRECT_STATUSES:
        return [OUT.finding("missing", evidence | {"status": first.status})]
    if s.too_many_redirects or s.error_kind == "loop":
        return [OUT.finding("loop", evidence)]
    if s.error is not None and not s.cert_error:  # internet.nl, too, needs the whole chain to complete
        evidence |= {"error": s.error, "error_kind": s.error_kind}
        return [OUT.finding("error", evidence)]
    # internet.nl (forced_http_check): only the target of the first redirect decides. It must be https on the
    # same host ("a domain should firstly upgrade itself by redirecting to its HTTPS version before it may
    # redirect to another domain"); where the chain goes after that hop is not part of the rule.
    target = urlsplit(first.location) if first.location else None
    if target is not None and target.scheme == "https":
        if (target.hostname or "") != domain.lower():
            return [OUT.finding("first_hop_other_host", evidence | {"first_target": target.hostname})]
        return [OUT.finding("ok", evidence)]
    if urlsplit(s.hops[-1].url).scheme != "https":
        return [OUT.finding("not_to_https", evidence)]
    return [OUT.finding("first_hop_not_https", evidence)]
