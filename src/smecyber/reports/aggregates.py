"""What a coordinator may learn about the programme's SMEs: anonymised aggregates only.

Every figure is computed in the database from each domain's latest done scan (``Scan.facts``/``grades``) and
passed through the small-group rule (``suppression.py``) before it leaves this module, so no caller (page, API,
export) can show a hidden number by mistake. The result is plain JSON-serialisable data.

An SME counts once:
- its grade is its weakest domain's overall grade (an attacker picks the weakest door);
- "DMARC at reject" means every domain whose mail was checked publishes p=reject;
- "HTTPS with HSTS" means every domain whose website was checked answers over valid HTTPS with HSTS.
Batch sweeps (``BatchEntry``) are counted per swept domain, shown separately, under the same rule.

The dashboard reads them through ``cached_programme_aggregates``: computing them reads every domain's latest
scans (about 0.25 s for 1,000 SMEs with 5,000 domains on 2 cores, bench/platform_dashboards.py), so
they are kept in the cache until something they depend on changes (``freshness.py``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from smecyber.accounts.models import Company, Programme
from smecyber.assets.models import Domain
from smecyber.checks.scoring import GRADE_SCALE, letter_for
from smecyber.scans.models import BatchEntry, Scan, ScanStatus

from .freshness import generation
from .queries import latest_overall_score, latest_scan_ids, overall_score
from .suppression import min_group, share, shown_count, suppress

GRADE_BUCKETS = ("A", "B", "C", "D", "F")
# the lowest score of each letter (A- is 85, B- 65, ...), from the same scale the grades use
BUCKET_MINIMUM = {b: min(s for s, letter in GRADE_SCALE if letter[0] == b) for b in GRADE_BUCKETS}
TREND_MONTHS = 12
# An upper bound only: the cache key changes as soon as the data the aggregates read does.
CACHE_SECONDS = 60 * 60

DMARC_KNOWN = Q(facts__dmarc_policy__in=["reject", "quarantine", "none", "missing"])
DMARC_REJECT = Q(facts__dmarc_policy="reject")
WEB_KNOWN = Q(facts__https=True) | Q(facts__https=False)
HTTPS_HSTS = Q(facts__https=True, facts__hsts=True)


def bucket(score: int) -> str:
    return letter_for(score)[0]


def _share(count: int, total: int) -> dict[str, Any]:
    """A share as data: ``count``/``total``/``percent``, each ``None`` when it must not be shown."""
    s = share(count, total)
    return {"count": s.count, "total": shown_count(total), "percent": None if s.ratio is None else 100 * s.ratio}


def _distribution(scores: list[int]) -> dict[str, Any]:
    counts = dict.fromkeys(GRADE_BUCKETS, 0)
    for score in scores:
        counts[bucket(score)] += 1
    return _distribution_from_counts(counts)


def _distribution_from_counts(counts: dict[str, int]) -> dict[str, Any]:
    total = sum(counts.values())
    kept = suppress(counts, total)
    return {
        "total": shown_count(total),
        "buckets": [{"grade": b, "count": kept[b], "percent": None if kept[b] is None else 100 * kept[b] / total}
                    for b in GRADE_BUCKETS],
    }


def _month_starts(now: datetime, months: int) -> list[date]:
    today = timezone.localtime(now).date()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def _month_end(start: date, now: datetime) -> datetime:
    """The moment the month starting at ``start`` ends (now, for the current month)."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    end = datetime.combine(date(year, month, 1), time(0), tzinfo=timezone.get_current_timezone())
    return min(end, now)


def _sme_rows(programme: Programme) -> list[dict[str, Any]]:
    """Per SME with at least one done scan: counts over its domains' latest done scans (one query)."""
    latest = Domain.objects.filter(company__programme=programme).annotate(
        sid=latest_scan_ids(done_only=True)).values("sid")
    return list(
        Scan.objects.filter(pk__in=latest)
        .values(company=F("domain__company_id"))
        .annotate(
            domains=Count("pk"),
            dmarc_known=Count("pk", filter=DMARC_KNOWN),
            dmarc_reject=Count("pk", filter=DMARC_REJECT),
            web_known=Count("pk", filter=WEB_KNOWN),
            https_hsts=Count("pk", filter=HTTPS_HSTS),
            worst=Min(overall_score()),
        )
        .order_by()
    )


def _sme_trend(programme: Programme, now: datetime) -> list[dict[str, Any]]:
    """Share of SMEs at A or B (weakest domain) at the end of each of the last 12 months (one query)."""
    starts = _month_starts(now, TREND_MONTHS)
    columns = {f"m{i}": Min(latest_overall_score(_month_end(start, now))) for i, start in enumerate(starts)}
    rows = list(Domain.objects.filter(company__programme=programme).values("company_id").annotate(**columns)
                .order_by())
    trend = []
    for i, start in enumerate(starts):
        worst = [r[f"m{i}"] for r in rows if r[f"m{i}"] is not None]
        good = sum(1 for s in worst if s >= BUCKET_MINIMUM["B"])
        trend.append({"month": start.isoformat(), "graded": shown_count(len(worst)),
                      "at_a_or_b": _share(good, len(worst))})
    return trend


def sme_aggregates(programme: Programme, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    total = Company.objects.filter(programme=programme).count()
    rows = _sme_rows(programme)
    dmarc = [r for r in rows if r["dmarc_known"]]
    web = [r for r in rows if r["web_known"]]
    worst = [r["worst"] for r in rows if r["worst"] is not None]
    return {
        "total": shown_count(total),
        "scanned": shown_count(len(rows)),
        "dmarc_reject": _share(sum(1 for r in dmarc if r["dmarc_reject"] == r["dmarc_known"]), len(dmarc)),
        "https_hsts": _share(sum(1 for r in web if r["https_hsts"] == r["web_known"]), len(web)),
        "at_a_or_b": _share(sum(1 for s in worst if s >= BUCKET_MINIMUM["B"]), len(worst)),
        "grades": _distribution(worst),
        "trend": _sme_trend(programme, now),
    }


def _entry_counts() -> dict[str, Any]:
    """Conditional counts over batch entries (per swept domain), computed by the database."""
    graded = Q(grades__overall__score__isnull=False)
    return {
        "domains": Count("pk"),
        "dmarc_known": Count("pk", filter=DMARC_KNOWN),
        "dmarc_reject": Count("pk", filter=DMARC_REJECT),
        "web_known": Count("pk", filter=WEB_KNOWN),
        "https_hsts": Count("pk", filter=HTTPS_HSTS),
        "graded": Count("pk", filter=graded),
        **{f"grade_{b}": Count("pk", filter=graded & _score_range(b)) for b in GRADE_BUCKETS},
    }


def _score_range(b: str) -> Q:
    """Scores whose letter starts with ``b``: at least its minimum, below the next letter's minimum."""
    i = GRADE_BUCKETS.index(b)
    q = Q(grades__overall__score__gte=BUCKET_MINIMUM[b])
    if i > 0:
        q &= Q(grades__overall__score__lt=BUCKET_MINIMUM[GRADE_BUCKETS[i - 1]])
    return q


def _entry_figures(c: dict[str, int]) -> dict[str, Any]:
    grades = {b: c[f"grade_{b}"] for b in GRADE_BUCKETS}
    good = grades["A"] + grades["B"]
    return {
        "domains": shown_count(c["domains"]),
        "dmarc_reject": _share(c["dmarc_reject"], c["dmarc_known"]),
        "https_hsts": _share(c["https_hsts"], c["web_known"]),
        "at_a_or_b": _share(good, c["graded"]),
        "grades": _distribution_from_counts(grades),
    }


def sweep_aggregates(programme: Programme) -> dict[str, Any]:
    """Over the latest done entry of each swept domain name, and per batch (oldest first)."""
    done = BatchEntry.objects.filter(batch__programme=programme, status=ScanStatus.DONE)
    latest = done.annotate(rank=Window(RowNumber(), partition_by=F("name"),
                                       order_by=[F("finished_at").desc(nulls_last=True), F("pk").desc()]))
    overall = latest.filter(rank=1).aggregate(**_entry_counts())
    per_batch = (done.values("batch_id", "batch__name", "batch__created_at").annotate(**_entry_counts())
                 .order_by("batch__created_at"))
    return {
        "batches": [{"name": b["batch__name"], "created_at": b["batch__created_at"].isoformat(), **_entry_figures(b)}
                    for b in per_batch],
        **_entry_figures(overall),
    }


def programme_aggregates(programme: Programme) -> dict[str, Any]:
    """The programme's aggregates (see the module doc); hidden figures are ``None``."""
    return {
        "min_group": min_group(),
        "smes": sme_aggregates(programme),
        "sweeps": sweep_aggregates(programme),
    }


def cached_programme_aggregates(programme: Programme, now: datetime | None = None) -> dict[str, Any]:
    """``programme_aggregates``, computed again only when its data changed (``freshness.py``), a new month
    began (the trend's months move on) or the small-group minimum changed."""
    month = timezone.localtime(now or timezone.now()).strftime("%Y-%m")
    key = f"reports:programme-aggregates:{programme.pk}:{generation(programme.pk)}:{month}:{min_group()}"
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = programme_aggregates(programme)
        cache.set(key, aggregates, CACHE_SECONDS)
    return aggregates


def shared_companies(programme: Programme) -> QuerySet[Company]:
    """The SMEs that chose to share their named results with the programme's coordinators."""
    return Company.objects.filter(programme=programme, shared_with_programme_at__isnull=False).order_by("name")
