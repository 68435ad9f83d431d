"""Reads the reports need, each a fixed number of queries whatever the number of domains or scans.

The latest done scan of a domain is the most recent by ``created_at`` (the index ``domain, -created_at``
answers it); a domain has at most one queued or running scan at a time, so creation order is finishing order.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from smecyber.accounts.models import Company
from smecyber.assets.models import Domain
from smecyber.scans.models import Scan, ScanFinding, ScanStatus


def latest_scan_ids(*, done_only: bool, before: datetime | None = None) -> Subquery:
    """A subquery for ``Domain`` rows: the id of the domain's latest (done) scan."""
    scans = Scan.objects.filter(domain=OuterRef("pk"))
    if done_only:
        scans = scans.filter(status=ScanStatus.DONE)
    if before is not None:
        scans = scans.filter(created_at__lt=before)
    return Subquery(scans.order_by("-created_at").values("pk")[:1])


def overall_score() -> Cast:
    """The overall score stored in ``Scan.grades`` (or ``BatchEntry.grades``), read by the database."""
    return Cast(KT("grades__overall__score"), IntegerField())


def latest_overall_score(before: datetime) -> Subquery:
    """A subquery for ``Domain`` rows: the overall score of its latest done scan created before ``before``."""
    scans = Scan.objects.filter(domain=OuterRef("pk"), status=ScanStatus.DONE, created_at__lt=before)
    return Subquery(scans.order_by("-created_at").annotate(score=overall_score()).values("score")[:1])


def domains_with_latest_scans(company: Company) -> list[Domain]:
    """The SME's domains by name, each with ``latest_done`` and ``latest_any`` (a ``Scan`` or ``None``)."""
    domains = list(
        Domain.objects.filter(company=company)
        .only("id", "company_id", "name", "display_name", "verified_at")  # what the pages show; cached (company.py)
        .annotate(latest_done_id=latest_scan_ids(done_only=True), latest_any_id=latest_scan_ids(done_only=False))
        .order_by("name")
    )
    ids = {d.latest_done_id for d in domains} | {d.latest_any_id for d in domains}  # type: ignore[attr-defined]
    scans = Scan.objects.only("id", "domain_id", "status", "created_at", "finished_at", "grades").in_bulk(
        [i for i in ids if i is not None])  # not the facts (JSON the pages never show)
    for d in domains:
        d.latest_done = scans.get(d.latest_done_id)  # type: ignore[attr-defined]
        d.latest_any = scans.get(d.latest_any_id)  # type: ignore[attr-defined]
    return domains


def problem_findings(scan_ids: list[object], statuses: tuple[str, ...] = ("fail", "warn")) -> QuerySet[ScanFinding]:
    return ScanFinding.objects.filter(scan_id__in=scan_ids, status__in=statuses).order_by("pk")


def score_history(company: Company, since: datetime) -> list[tuple[Domain, datetime, int | None]]:
    """(domain, when, overall score) of every done scan of the SME's domains since ``since``, oldest first."""
    rows = (
        Scan.objects.filter(domain__company=company, status=ScanStatus.DONE, created_at__gte=since)
        .select_related("domain")
        .annotate(overall=overall_score())
        .only("id", "created_at", "finished_at", "domain__id", "domain__name", "domain__display_name")
        .order_by("created_at")
    )
    return [(s.domain, s.finished_at or s.created_at, s.overall) for s in rows]  # type: ignore[attr-defined]


def recent_scans(company: Company, limit: int = 10) -> list[Scan]:
    return list(
        Scan.objects.filter(domain__company=company)
        .select_related("domain")
        .only("id", "domain_id", "status", "trigger", "created_at", "domain__id", "domain__name",
              "domain__display_name")
        .annotate(overall=overall_score())
        .order_by("-created_at")[:limit]
    )
