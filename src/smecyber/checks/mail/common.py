"""Helpers shared by the mail checks: one way to build a finding, in the ``mail`` score group."""

from __future__ import annotations

import re
from typing import Any

from ..context import DomainContext
from ..model import Finding, Severity, Status

SCORE_GROUP = "mail"


def finding(
    check: str, outcome: str, status: Status, severity: Severity = Severity.NONE, points: int = 0,
    evidence: dict[str, Any] | None = None, subject: str | None = None,
) -> Finding:
    return Finding(
        check=check, key=f"{check}.{outcome}", status=status, severity=severity, evidence=evidence or {},
        points=points, score_group=SCORE_GROUP, subject=subject,
    )


def parse_tag_list(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Parse a ``tag=value; tag=value`` list (DMARC, DKIM, TLS-RPT, MTA-STS TXT). Returns pairs and errors."""
    pairs: list[tuple[str, str]] = []
    errors: list[str] = []
    for part in text.split(";"):
        part = part.strip(" \t\r\n")
        if not part:
            continue
        if "=" not in part:
            errors.append(part)
            continue
        tag, value = part.split("=", 1)
        pairs.append((tag.strip(" \t\r\n"), value.strip(" \t\r\n")))
    return pairs, errors


async def versioned_txt(
    ctx: DomainContext, check: str, name: str, version: str
) -> tuple[list[str], dict[str, Any], Finding | None]:
    """The TXT records at ``name`` that start with the ``version`` pattern (e.g. ``v=STSv1[ \t]*(;|$)``),
    the evidence of the lookup, and an error finding instead when the lookup itself failed."""
    ans = await ctx.dns.txt(name)
    evidence: dict[str, Any] = {"name": name, "records": ans.records}
    if ans.failed:
        return [], evidence, finding(check, "lookup_failed", Status.ERROR,
                                     evidence={**evidence, "error": ans.error or ans.rcode})
    return [r for r in ans.records if re.match(version, r)], evidence, None
