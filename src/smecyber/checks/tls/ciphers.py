"""tls.ciphers: every cipher suite the web server accepts, by IANA name (deep only: it takes sslyze's
enumeration; one sweep handshake shows only the suite the server prefers, which cannot clear the others)."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding
from ..registry import register
from .web import web_findings


@register("tls.ciphers", area=Area.WEB, sweep=False)
async def check_ciphers(ctx: DomainContext) -> list[Finding]:
    """Cipher suites accepted by the web server."""
    return await web_findings(ctx, "tls.ciphers", "ciphers")
