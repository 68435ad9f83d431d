"""The coordinator's programme dashboard: aggregates over a crafted population, the small-group rule, and no
named SME except those that chose to share."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from smecyber.accounts.models import AdvisorConsent, Programme, ProgrammeRole
from smecyber.reports import formatting
from smecyber.reports.aggregates import programme_aggregates
from smecyber.reports.suppression import suppress
from tests.web.world import make_user

from .factories import (
    GOOD_FACTS,
    client_for,
    make_batch,
    make_company,
    make_coordinator,
    make_domain,
    make_programme,
    make_scan,
    owner_of,
)

pytestmark = pytest.mark.django_db

BAD_FACTS = {**GOOD_FACTS, "https": False, "hsts": False, "dmarc_policy": "missing"}
GRADE_PLAN = [("A", 90)] * 7 + [("B", 75)] * 6 + [("C", 50)] * 6 + [("D", 30)] * 5  # 24 scanned SMEs


def buckets(aggregate: dict[str, Any]) -> dict[str, int | None]:
    return {b["grade"]: b["count"] for b in aggregate["buckets"]}


@pytest.fixture
def population() -> Programme:
    """24 scanned SMEs (7 at A, 6 at B, 6 at C, 5 at D by their weakest domain) and 2 without scans.

    DMARC at reject on all domains: SMEs 0-11 (SME 11 has a second domain at p=none: it does not count).
    HTTPS with HSTS on every website: SMEs 0-9 (SME 0 also has a mail-only domain, https unknown: still counts).
    Three SMEs were also scanned five months ago (too few for that month's share to be shown).
    """
    programme = make_programme()
    old = timezone.now() - timedelta(days=150)
    for i, (_letter, score) in enumerate(GRADE_PLAN):
        company = make_company(programme, f"Secret SME {i:02d}", shared=i == 3)
        facts = {**GOOD_FACTS, "dmarc_policy": "reject" if i < 12 else "none",
                 "https": i < 10, "hsts": i < 10}
        domain = make_domain(company, f"sme{i}.test")
        if i < 3:
            make_scan(domain, overall=10, when=old, facts=BAD_FACTS)
        make_scan(domain, overall=score, facts=facts)
        if i == 0:  # a better second domain does not lift the SME above its weakest
            make_scan(make_domain(company, "mail-only.test"), overall=100,
                      facts={**GOOD_FACTS, "https": None, "hsts": None})
        if i == 11:
            make_scan(make_domain(company, "second.test"), overall=score,
                      facts={**facts, "dmarc_policy": "none"})
    make_company(programme, "Unscanned One")
    make_domain(make_company(programme, "Unscanned Two"), "fresh.test")
    return programme


def test_sme_aggregates_count_each_sme_once(population) -> None:  # type: ignore[no-untyped-def]
    smes = programme_aggregates(population)["smes"]
    assert smes["total"] == 26
    assert smes["scanned"] == 24
    assert smes["dmarc_reject"] == {"count": 11, "total": 24, "percent": pytest.approx(100 * 11 / 24)}
    assert smes["https_hsts"] == {"count": 10, "total": 24, "percent": pytest.approx(100 * 10 / 24)}
    assert smes["at_a_or_b"] == {"count": 13, "total": 24, "percent": pytest.approx(100 * 13 / 24)}
    # F is empty, so hidden; D (5) is hidden with it, or 24 - shown would reveal F
    assert buckets(smes["grades"]) == {"A": 7, "B": 6, "C": 6, "D": None, "F": None}
    assert smes["grades"]["total"] == 24


def test_trend_per_month_hides_months_with_too_few_smes(population) -> None:  # type: ignore[no-untyped-def]
    trend = programme_aggregates(population)["smes"]["trend"]
    assert len(trend) == 12
    assert trend[-1]["month"] == timezone.localtime().date().replace(day=1).isoformat()
    assert trend[-1]["at_a_or_b"] == {"count": 13, "total": 24, "percent": pytest.approx(100 * 13 / 24)}
    earlier = [t for t in trend[:-1] if t["month"] >= (timezone.localtime() - timedelta(days=120)).date().isoformat()]
    assert earlier and all(t["graded"] is None and t["at_a_or_b"]["count"] is None for t in earlier)
    assert trend[0]["graded"] == 0  # nobody scanned yet: zero says nothing about anyone


def test_four_smes_show_nothing(db) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme()
    for i in range(4):
        make_scan(make_domain(make_company(programme, f"Tiny {i}"), f"tiny{i}.test"), overall=90)
    make_batch(programme, "Small sweep", [(90, GOOD_FACTS)] * 4)
    aggregates = programme_aggregates(programme)
    smes, sweeps = aggregates["smes"], aggregates["sweeps"]
    assert smes["total"] is None and smes["scanned"] is None
    assert programme_aggregates(make_programme("Empty"))["smes"]["total"] == 0
    for name in ("dmarc_reject", "https_hsts", "at_a_or_b"):
        assert smes[name] == {"count": None, "total": None, "percent": None}
    assert set(buckets(smes["grades"]).values()) == {None} and smes["grades"]["total"] is None
    assert all(t["at_a_or_b"]["count"] is None for t in smes["trend"])
    assert sweeps["domains"] is None and set(buckets(sweeps["grades"]).values()) == {None}
    html = client_for(make_coordinator(programme)).get(
        reverse("programme_dashboard", kwargs={"programme_id": programme.id})).content.decode()
    assert "Fewer than 5 SMEs — hidden to protect their privacy." in html
    assert "Tiny" not in html and "<svg" not in html


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"A": 7, "B": 6, "C": 6, "D": 5, "F": 0}, {"D", "F"}),  # one small bucket: the next smallest goes too
        ({"A": 9, "B": 8, "C": 1, "D": 2, "F": 1}, {"B", "C", "D", "F"}),  # hidden sum 4 < 5: hide B too
        ({"A": 10, "B": 6, "C": 1, "D": 2, "F": 3}, {"C", "D", "F"}),  # together 6: enough
        ({"A": 30, "B": 0, "C": 0, "D": 0, "F": 0}, {"A", "B", "C", "D", "F"}),  # "everyone at A" is hidden
        ({"A": 10, "B": 6, "C": 5, "D": 5, "F": 5}, set()),
        ({"with": 3, "without": 20}, {"with", "without"}),  # a share: "all but three" is hidden too
    ],
)
def test_suppression_hides_small_buckets_and_what_reveals_them(counts, hidden) -> None:  # type: ignore[no-untyped-def]
    kept = suppress(counts, sum(counts.values()), minimum=5)
    assert {k for k, v in kept.items() if v is None} == hidden
    shown = sum(v for v in kept.values() if v is not None)
    if hidden:  # what the total minus the shown buckets reveals is a group of at least the minimum
        assert len(hidden) >= 2 and sum(counts.values()) - shown >= 5
    assert all(kept[k] == counts[k] for k in counts if k not in hidden)


def test_sweeps_use_each_domains_latest_entry_and_are_shown_per_batch(db) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme()
    make_batch(programme, "Autumn sweep", [(20, BAD_FACTS)] * 4, when=timezone.now() - timedelta(days=90))
    make_batch(programme, "Spring sweep", [(90, GOOD_FACTS)] * 6 + [(75, BAD_FACTS)] * 5)
    sweeps = programme_aggregates(programme)["sweeps"]
    # swept0-3.test were in both sweeps: only their latest result counts
    assert sweeps["domains"] == 11
    assert sweeps["dmarc_reject"] == {"count": 6, "total": 11, "percent": pytest.approx(100 * 6 / 11)}
    assert sweeps["https_hsts"]["count"] == 6
    assert sweeps["at_a_or_b"]["count"] is None  # 11 of 11: "none below B" is hidden like any small group
    # C, D and F are empty: B (5) is hidden with them, or 11 - 6 would tell that none is below B
    assert buckets(sweeps["grades"]) == {"A": 6, "B": None, "C": None, "D": None, "F": None}
    autumn, spring = sweeps["batches"]
    assert autumn["name"] == "Autumn sweep" and autumn["domains"] is None
    assert autumn["dmarc_reject"]["count"] is None
    assert spring["name"] == "Spring sweep" and spring["domains"] == 11


def test_page_shows_localised_figures_and_names_only_sharing_smes(population) -> None:  # type: ignore[no-untyped-def]
    coordinator = make_coordinator(population)
    url = reverse("programme_dashboard", kwargs={"programme_id": population.id})
    html = client_for(coordinator).get(url).content.decode()
    assert "46% (11 of 24)" in html  # DMARC at reject on all domains
    for i in range(24):
        if i != 3:
            assert f"Secret SME {i:02d}" not in html
    assert "Unscanned" not in html and "sme0.test" not in html
    shared = html[html.index('id="shared-heading"'):]
    assert "Secret SME 03" in shared
    assert reverse("company_dashboard", kwargs={"company_id": population.companies.get(name="Secret SME 03").id}) \
        in shared
    with translation.override("sv"):
        assert formatting.count(1234) == "1\xa0234"


def test_charts_and_tables_carry_the_same_hidden_and_shown_figures(population) -> None:  # type: ignore[no-untyped-def]
    html = client_for(make_coordinator(population)).get(
        reverse("programme_dashboard", kwargs={"programme_id": population.id})).content.decode()
    grades = html[html.index('id="sme-grades"'):]
    svg, table = grades[:grades.index("</svg>")], grades[grades.index('data-chart="sme-grades"'):]
    table = table[:table.index("</table>")]
    for value in ("7 (29%)", "6 (25%)", "hidden"):
        assert value in svg and value in table


def test_only_the_programmes_coordinator_may_open_it(population) -> None:  # type: ignore[no-untyped-def]
    url = reverse("programme_dashboard", kwargs={"programme_id": population.id})
    advisor = make_user("advisor@example.test")
    ProgrammeRole.objects.create(user=advisor, programme=population, role=ProgrammeRole.Role.ADVISOR)
    shared = population.companies.get(name="Secret SME 03")
    AdvisorConsent.objects.create(company=shared, advisor=advisor)
    owner = make_company(population, "Owned AB", owner_email="owner@owned.test")
    other_coordinator = make_coordinator(make_programme("Programme Q"), "q@example.test")
    for user in (advisor, owner_of(owner), other_coordinator):
        assert client_for(user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_query_count_does_not_grow_with_smes(db) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme()
    client = client_for(make_coordinator(programme))
    url = reverse("programme_dashboard", kwargs={"programme_id": programme.id})

    def queries_with(n: int) -> int:
        for i in range(programme.companies.count(), n):
            domain = make_domain(make_company(programme, f"SME {i}", shared=True), f"q{i}.test")
            make_scan(domain, overall=40 + 5 * i, when=timezone.now() - timedelta(days=40))
            make_scan(domain, overall=50 + 5 * i)
        make_batch(programme, f"Sweep {n}", [(80, GOOD_FACTS)] * n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(6) == queries_with(10)
