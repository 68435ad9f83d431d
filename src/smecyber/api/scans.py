"""Scans of a domain and their findings."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router
from ninja.pagination import paginate

from smecyber.catalog import load_catalog
from smecyber.catalog.languages import normalize_language
from smecyber.scans.models import Scan, ScanFinding
from smecyber.scans.services import request_scan
from smecyber.scans.viewing import note_results_viewed

from .lookups import caller, domain_or_404, scan_or_404
from .pagination import Page
from .schemas import FindingOut, Language, ScanOut

router = Router(tags=["scans"])


@router.get("/domains/{domain_id}/scans", response=list[ScanOut], url_name="domain_scan_list",
            summary="The domain's scans, newest first")
@paginate(Page)
def domain_scan_list(request: HttpRequest, domain_id: uuid.UUID) -> QuerySet[Scan]:
    domain = domain_or_404(caller(request), domain_id)
    note_results_viewed(request, domain.company, domain.name)
    return domain.scans.select_related("domain").order_by("-created_at")


@router.post("/domains/{domain_id}/scans", response={202: ScanOut}, url_name="domain_scan_request",
             summary="Start a scan",
             description="For the SME's owners and members. Answers 202 with the scan; if one is already queued "
                         "or running for the domain, that one is returned instead of starting another. Poll "
                         "`GET /scans/{scan_id}` for its progress.")
def domain_scan_request(request: HttpRequest, domain_id: uuid.UUID) -> tuple[int, Scan]:
    user = caller(request)
    domain = domain_or_404(user, domain_id, need="act")
    return 202, request_scan(domain, user=user, trigger=Scan.Trigger.API, request=request)


@router.get("/scans/{scan_id}", response=ScanOut, url_name="scan_detail", summary="One scan",
            description="Status, progress, grades and summary facts.")
def scan_detail(request: HttpRequest, scan_id: uuid.UUID) -> Scan:
    scan = scan_or_404(caller(request), scan_id)
    note_results_viewed(request, scan.domain.company, scan.domain.name)
    return scan


def _finding(finding: ScanFinding, lang: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "check_id": finding.check_id, "key": finding.key, "status": finding.status, "severity": finding.severity,
        "subject": finding.subject, "evidence": finding.evidence, "points": finding.points,
        "score_group": finding.score_group, "lang": lang, "title": finding.key, "why": "", "how": "",
        "effort": "", "references": [],
    }
    try:
        entry = load_catalog().entry(finding.key, lang)
    except KeyError:
        return row  # a key from a newer engine than this catalog: the raw key is better than nothing
    row.update(title=entry.title, why=entry.why, how=entry.how, effort=entry.effort,
               references=[{"title": r.title, "url": r.url} for r in entry.references])
    return row


@router.get("/scans/{scan_id}/findings", response=list[FindingOut], url_name="scan_finding_list",
            summary="A scan's findings, worst first",
            description="Each finding with its explanation from the catalog in `lang` (default: your account's "
                        "language, else the request's).")
@paginate(Page)
def scan_finding_list(request: HttpRequest, scan_id: uuid.UUID, lang: Query[Language | None] = None,
                      status: Query[str | None] = None) -> list[dict[str, Any]]:
    user = caller(request)
    scan = scan_or_404(user, scan_id)
    note_results_viewed(request, scan.domain.company, scan.domain.name)
    language = normalize_language(lang or user.language or get_language())
    findings = scan.findings.order_by("points", "check_id", "key", "subject", "id")
    if status:
        findings = findings.filter(status=status)
    return [_finding(f, language) for f in findings]
