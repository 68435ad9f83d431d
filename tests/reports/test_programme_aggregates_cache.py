"""The programme dashboard's cached aggregates: always the figures a fresh computation gives, recomputed when a
scan or sweep entry finishes or an SME, domain or batch comes or goes, and read from the cache otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import Company, Programme
from smecyber.assets.models import Domain
from smecyber.reports.aggregates import cached_programme_aggregates, programme_aggregates
from smecyber.scans.models import Batch, BatchEntry, Scan, ScanStatus

from .factories import (
    GOOD_FACTS,
    client_for,
    grades,
    make_batch,
    make_company,
    make_coordinator,
    make_domain,
    make_programme,
    make_scan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme() -> Programme:
    programme = make_programme()
    for i in range(6):
        make_scan(make_domain(make_company(programme, f"SME {i}"), f"sme{i}.test"), overall=90)
    make_domain(make_company(programme, "Unscanned AB"), "unscanned.test")
    make_batch(programme, "Spring sweep", [(90, GOOD_FACTS)] * 6)
    return programme


def finish_scan(domain: Domain, score: int) -> None:
    """As the scan runner does: a running scan saved as done with its grades and facts."""
    scan = Scan.objects.create(domain=domain, status=ScanStatus.RUNNING, attempts=1)
    scan.status, scan.grades, scan.facts, scan.finished_at = ScanStatus.DONE, grades(score), GOOD_FACTS, timezone.now()
    scan.save(update_fields=["status", "grades", "facts", "finished_at"])


def finish_entry(batch: Batch, name: str) -> None:
    """As a sweep chunk does: a running entry saved as done."""
    entry = BatchEntry.objects.create(batch=batch, name=name, status=ScanStatus.RUNNING, attempts=1)
    entry.status, entry.grades, entry.facts, entry.finished_at = ScanStatus.DONE, grades(20), GOOD_FACTS, timezone.now()
    entry.save(update_fields=["status", "grades", "facts", "finished_at"])


CHANGES: dict[str, Callable[[Programme], Any]] = {
    "a scan finishes": lambda p: finish_scan(Domain.objects.get(name="unscanned.test"), 90),
    "a sweep entry finishes": lambda p: finish_entry(p.batches.get(), "late.test"),
    "an SME joins": lambda p: make_company(p, "Newcomer AB"),
    "a domain is removed": lambda p: Domain.objects.get(name="sme1.test").delete(),
    "an SME is deleted": lambda p: Company.objects.get(name="SME 2").delete(),
    "a batch is deleted": lambda p: p.batches.get().delete(),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_cached_figures_follow_each_change(programme: Programme, change: str) -> None:
    before = cached_programme_aggregates(programme)
    assert before == programme_aggregates(programme)
    CHANGES[change](programme)
    after = cached_programme_aggregates(programme)
    assert after == programme_aggregates(programme)
    assert after != before


def test_unchanged_data_is_read_from_the_cache(programme: Programme) -> None:
    cached_programme_aggregates(programme)
    with CaptureQueriesContext(connection) as ctx:
        again = cached_programme_aggregates(programme)
    assert len(ctx.captured_queries) == 0
    assert again == programme_aggregates(programme)


def test_a_smaller_minimum_group_is_not_served_from_the_cache(programme: Programme, settings: Any) -> None:
    settings.AGGREGATE_MIN_GROUP = 5
    shown = cached_programme_aggregates(programme)
    settings.AGGREGATE_MIN_GROUP = 10
    hidden = cached_programme_aggregates(programme)
    assert shown["smes"]["total"] == 7
    assert hidden["smes"]["total"] is None


def test_the_page_shows_a_new_sme_at_once(programme: Programme) -> None:
    client = client_for(make_coordinator(programme))
    url = reverse("programme_dashboard", kwargs={"programme_id": programme.id})
    assert client.get(url).context["aggregates"]["smes"]["total"] == 7
    make_company(programme, "Newcomer AB")
    assert client.get(url).context["aggregates"]["smes"]["total"] == 8
