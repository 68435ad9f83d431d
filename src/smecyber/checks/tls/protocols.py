"""tls.protocols: which SSL/TLS versions the web server accepts (NCSC-NL TLS guidelines v2.1)."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding
from ..registry import register
from .web import web_findings


@register("tls.protocols", area=Area.WEB, sweep=True)
async def check_protocols(ctx: DomainContext) -> list[Finding]:
    """TLS protocol versions accepted by the web server."""
    return await web_findings(ctx, "tls.protocols", "protocols")
