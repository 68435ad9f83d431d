"""web.headers: the MDN HTTP Observatory grade of the domain's home page, one finding per Observatory test."""

from __future__ import annotations

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .observatory.analyzer import analyze, load_table
from .observatory.model import TestResult
from .retrieval import observatory_retrieval, session

CHECK = "web.headers"
GROUP = "web_headers"


def finding_key(result: str) -> str:
    return f"{CHECK}.{result.replace('-', '_')}"


def _status(modifier: int) -> Status:
    if modifier >= 0:
        return Status.PASS
    return Status.FAIL if modifier <= -20 else Status.WARN


def _severity(modifier: int) -> Severity:
    if modifier <= -30:
        return Severity.HIGH
    if modifier <= -20:
        return Severity.MEDIUM
    if modifier < 0:
        return Severity.LOW
    return Severity.NONE


def to_finding(t: TestResult) -> Finding:
    return Finding(check=CHECK, key=finding_key(t.result), status=_status(t.modifier),
                   severity=_severity(t.modifier), evidence={"test": t.name, **t.data}, points=t.modifier,
                   score_group=GROUP)


@register(CHECK, area=Area.WEB, sweep=True)
async def check_headers(ctx: DomainContext) -> list[Finding]:
    """Security headers graded like the MDN HTTP Observatory (1.4.8)."""
    r = await observatory_retrieval(ctx)
    table = load_table()
    if r.auto is None or not table.gradable_status(r.auto.status):
        evidence: dict[str, object] = {"reference": table.source}
        if r.auto is not None:
            status = Status.WARN
            evidence["status"] = r.auto.status
            evidence["reason"] = "unexpected HTTP status; the Observatory refuses to grade it"
        else:
            https_s, http_s = await session(ctx, "https"), await session(ctx, "http")
            evidence["reason"] = "no HTTP response (the Observatory reports the site as down)"
            evidence["https_error"] = https_s.error
            evidence["http_error"] = http_s.error
            # no web server at all is a fact, not a failure; a server that misbehaved is an error
            quiet = {https_s.error_kind, http_s.error_kind} <= {"connect", "dns"}
            status = Status.INFO if quiet else Status.ERROR
        return [Finding(check=CHECK, key=f"{CHECK}.not_scored", status=status, severity=Severity.NONE,
                        evidence=evidence, score_group=GROUP)]
    return [to_finding(t) for t in analyze(r, table)]
