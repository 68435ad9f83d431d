"""tls.certificate: trust, hostname, validity dates, key and signature of the web server's certificate."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding
from ..registry import register
from .web import web_findings


@register("tls.certificate", area=Area.WEB, sweep=True)
async def check_certificate(ctx: DomainContext) -> list[Finding]:
    """The web server's certificate."""
    return await web_findings(ctx, "tls.certificate", "certificate")
