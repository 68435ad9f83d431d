"""tls.key_exchange: ECDHE curves and DHE group sizes seen in the accepted suites (deep only, like tls.ciphers)."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding
from ..registry import register
from .web import web_findings


@register("tls.key_exchange", area=Area.WEB, sweep=False)
async def check_key_exchange(ctx: DomainContext) -> list[Finding]:
    """Key exchange groups of the web server."""
    return await web_findings(ctx, "tls.key_exchange", "key_exchange")
