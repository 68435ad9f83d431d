"""A programme's anonymised threat statistics: one frozen snapshot per past quarter.

Why frozen: if the figures were computed afresh on every visit, a coordinator could look today, wait until
one SME records an incident, and look again — the difference is that SME's incident. So a quarter's figures
are made once, the first time they are shown, and never changed afterwards. They are made only once the
quarter ended more than ``GRACE`` ago, so incidents noticed or written down a little late are in; an incident
recorded later still is not counted (and its absence says nothing either, as nothing changes).

Contents (only what may be shown is stored; a hidden figure is ``None``): the number of the programme's SMEs
when the snapshot was made (the population), and per incident kind, impact and cost band the number of SMEs
with at least one such incident that occurred in the quarter, each through ``reports.suppression.share``:
hidden unless both the SMEs with and the SMEs without reach the minimum group. Quarters run on the platform's
time zone (settings.TIME_ZONE), so every viewer sees the same quarter boundaries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from smecyber.accounts.models import Company, Programme
from smecyber.reports.suppression import min_group, share

from .models import Incident, ThreatSnapshot

GRACE = timedelta(days=30)
SHOWN_QUARTERS = 8
DIMENSIONS = ("kinds", "impacts", "cost_bands")  # figures keys; the Incident field of each is FIELD_OF
FIELD_OF = {"kinds": "kind", "impacts": "impact", "cost_bands": "cost_band"}
FORMAT = 1  # stored in the figures: a later change of their shape can tell old snapshots apart


def platform_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, label: str) -> Quarter:
        year, number = label.split("-Q")
        return cls(int(year), int(number))

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def last_day(self) -> date:
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.first_day() - timedelta(days=1)

    def start(self) -> datetime:
        return datetime.combine(self.first_day(), datetime.min.time(), tzinfo=platform_tz())

    def end(self) -> datetime:
        """The first moment after the quarter (exclusive bound)."""
        return datetime.combine(self.last_day() + timedelta(days=1), datetime.min.time(), tzinfo=platform_tz())

    def ready_at(self) -> datetime:
        """From when its figures may be made: the end plus the grace period."""
        return self.end() + GRACE


def ready_quarters(programme: Programme, now: datetime, limit: int = SHOWN_QUARTERS) -> list[Quarter]:
    """The last ``limit`` quarters whose grace period is over, newest first; none that ended before the
    programme existed (there was nobody to count)."""
    quarter = Quarter.containing(now.astimezone(platform_tz()).date())
    found: list[Quarter] = []
    while len(found) < limit:
        if quarter.ready_at() < now:
            if quarter.end() <= programme.created_at:
                break
            found.append(quarter)
        quarter = quarter.previous()
    return found


def next_ready(now: datetime) -> tuple[Quarter, datetime]:
    """The next quarter to appear and when (the one still inside its grace period or running)."""
    quarter = Quarter.containing(now.astimezone(platform_tz()).date())
    while quarter.previous().ready_at() >= now:
        quarter = quarter.previous()
    return quarter, quarter.ready_at()


def catalog_ids() -> dict[str, list[str]]:
    """The catalog's ids per dimension, in catalog order."""
    from .services import catalog

    cat = catalog()
    return {dim: list(cat.group(dim)) for dim in DIMENSIONS}


def count_figures(programme: Programme, quarter: Quarter, ids: dict[str, list[str]],
                  minimum: int | None = None) -> dict[str, Any]:
    """The quarter's figures as they may be shown (``None`` = hidden). Not stored: see ``snapshot``."""
    minimum = min_group() if minimum is None else minimum
    population = Company.objects.filter(programme=programme).count()
    rows: Iterable[tuple[Any, str, str, str]] = (
        Incident.objects.filter(company__programme=programme, occurred_at__gte=quarter.start(),
                                occurred_at__lt=quarter.end())
        .values_list("company_id", "kind", "impact", "cost_band").distinct()
    )
    smes: dict[tuple[str, str], set[Any]] = defaultdict(set)
    with_any: set[Any] = set()
    for company_id, kind, impact, cost_band in rows:
        with_any.add(company_id)
        for dim, value in (("kinds", kind), ("impacts", impact), ("cost_bands", cost_band)):
            smes[(dim, value)].add(company_id)

    def shown(count: int) -> int | None:
        return share(count, population, minimum).count

    figures: dict[str, Any] = {"format": FORMAT, "population": population, "minimum": minimum,
                               "any": shown(len(with_any))}
    for dim in DIMENSIONS:
        figures[dim] = {value: shown(len(smes.get((dim, value), ()))) for value in ids[dim]}
    return figures


def snapshot(programme: Programme, quarter: Quarter, *, now: datetime | None = None,
             ids: dict[str, list[str]] | None = None) -> ThreatSnapshot:
    """The quarter's snapshot: the stored one, or made now (only once its grace period is over)."""
    now = now or timezone.now()
    existing = ThreatSnapshot.objects.filter(programme=programme, period=quarter.label).first()
    if existing is not None:
        return existing
    if quarter.ready_at() >= now:
        raise ValueError(f"{quarter.label} is not ready before {quarter.ready_at().isoformat()}")
    figures = count_figures(programme, quarter, ids or catalog_ids())
    try:
        with transaction.atomic():
            return ThreatSnapshot.objects.create(programme=programme, period=quarter.label, made_at=now,
                                                 figures=figures)
    except IntegrityError:  # another request made it first: theirs is the one, never overwritten
        return ThreatSnapshot.objects.get(programme=programme, period=quarter.label)


def programme_snapshots(programme: Programme, *, now: datetime | None = None) -> list[ThreatSnapshot]:
    """The snapshots of the last ``SHOWN_QUARTERS`` ready quarters, newest first; missing ones are made."""
    now = now or timezone.now()
    quarters = ready_quarters(programme, now)
    stored = {s.period: s for s in ThreatSnapshot.objects.filter(programme=programme,
                                                                  period__in=[q.label for q in quarters])}
    ids: dict[str, list[str]] | None = None
    result = []
    for quarter in quarters:
        found = stored.get(quarter.label)
        if found is None:
            ids = ids or catalog_ids()
            found = snapshot(programme, quarter, now=now, ids=ids)
        result.append(found)
    return result
