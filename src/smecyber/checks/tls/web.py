"""The web endpoint whose TLS the tls.* checks judge: the domain on port 443 (www.<domain> when the bare
domain has no address), scanned once per scan and shared by the four checks."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Finding
from .endpoint import TlsEndpointReport, tls_endpoint_report, tls_findings

HTTPS_PORT = 443


async def web_report(ctx: DomainContext) -> TlsEndpointReport:
    async def pick() -> TlsEndpointReport:
        report = await tls_endpoint_report(ctx, ctx.domain, HTTPS_PORT)
        if report.error_kind == "dns":
            www = await tls_endpoint_report(ctx, f"www.{ctx.domain}", HTTPS_PORT)
            if www.error_kind != "dns":
                return www
        return report

    return await ctx.memo(("tls_web_report",), pick)


async def web_findings(ctx: DomainContext, check: str, aspect: str) -> list[Finding]:
    report = await web_report(ctx)
    if report.error_kind in ("dns", "refused"):
        # no website, or nothing listening on 443: web.https reports that; TLS has nothing to judge
        return []
    return tls_findings(check, report, score_group="tls", subject=f"{report.host}:{report.port}", aspects=(aspect,))
