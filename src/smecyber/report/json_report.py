"""The JSON document of `smecyber scan --json`; its schema ships as scan-result.schema.json beside this file."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any

from .. import __version__
from ..catalog import load_catalog
from ..checks.config import ScanConfig
from ..checks.model import DomainResult, Status
from ..checks.targets import unicode_name
from .priorities import top_fixes

SCHEMA_VERSION = "1.0"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def domain_document(result: DomainResult, lang: str) -> dict[str, Any]:
    catalog = load_catalog()
    doc = result.to_dict()
    doc["display_name"] = unicode_name(result.domain)
    for fd in doc["findings"]:
        fd["title"] = catalog.entry(fd["key"], lang).title
    doc["top_fixes"] = [
        {
            "key": fix.finding.key,
            "check": fix.finding.check,
            "subject": fix.finding.subject,
            "status": str(fix.finding.status),
            "severity": str(fix.finding.severity),
            "effort": fix.effort,
            "title": catalog.entry(fix.finding.key, lang).title,
        }
        for fix in top_fixes(result)
    ]
    return doc


def scan_document(
    config: ScanConfig, results: list[DomainResult], started: float, finished: float, lang: str
) -> dict[str, Any]:
    findings = [f for r in results for f in r.findings]
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "smecyber", "version": __version__},
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "duration_seconds": round(finished - started, 3),
        "language": lang,
        "config": {
            "depth": config.depth.value,
            "areas": sorted(a.value for a in config.areas),
            "nameservers": [str(ns) for ns in config.nameservers],
            "allow_loopback": config.allow_loopback,
            "timeout_seconds": config.timeouts.operation,
            "total_timeout_seconds": config.timeouts.total,
        },
        "summary": {
            "domains": len(results),
            "findings": {s.value: sum(1 for f in findings if f.status is s) for s in Status},
        },
        "domains": [domain_document(r, lang) for r in results],
    }


def schema_text() -> str:
    return resources.files(__package__).joinpath("scan-result.schema.json").read_text(encoding="utf-8")
