"""A programme's threat statistics: frozen quarterly snapshots with the small-group rule, tested as a curious
coordinator would try to learn one SME's incidents."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import Company, Programme, SupportOrganisation
from smecyber.incidents import threats
from smecyber.incidents.models import Incident, ThreatSnapshot
from smecyber.incidents.threats import Quarter
from tests.incidents.conftest import client_for
from tests.web.world import World

pytestmark = pytest.mark.django_db

IDS = {"kinds": ["phishing", "malware", "ransomware"], "impacts": ["none", "minor", "severe"],
       "cost_bands": ["none", "lt_1k", "unknown"]}


def make_programme(n: int, *, created: datetime | None = None) -> tuple[Programme, list[Company]]:
    org = SupportOrganisation.objects.create(name="Cluster", country="LV")
    programme = Programme.objects.create(organisation=org, name="Threats",
                                         created_at=created or datetime(2024, 1, 1, tzinfo=UTC))
    companies = [Company.objects.create(programme=programme, name=f"SME {i}", country="LV") for i in range(n)]
    return programme, companies


def record(company: Company, when: datetime, kind: str = "phishing", impact: str = "minor",
           cost_band: str = "none") -> Incident:
    return Incident.objects.create(company=company, kind=kind, title="x", occurred_at=when, impact=impact,
                                   cost_band=cost_band)


def in_quarter(quarter: Quarter, day: int = 10) -> datetime:
    return quarter.start() + timedelta(days=day, hours=10)


Q2 = Quarter(2026, 2)  # April to June 2026; ready from 31 July 2026 (the end, 1 July, plus 30 days)


# --- quarters ------------------------------------------------------------------------------------------------

def test_quarter_arithmetic(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Riga"
    assert Quarter.containing(datetime(2026, 11, 27).date()).label == "2026-Q4"
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Q2.start().isoformat() == "2026-04-01T00:00:00+03:00"  # the platform's time zone, summer time
    assert Quarter(2026, 4).end().isoformat() == "2027-01-01T00:00:00+02:00"
    assert Quarter.parse("2026-Q3") == Quarter(2026, 3)


def test_only_past_quarters_after_the_grace_period() -> None:
    programme, _ = make_programme(1)
    ready = Q2.end() + timedelta(days=30)
    assert Q2 not in threats.ready_quarters(programme, ready - timedelta(seconds=1))
    assert Q2 not in threats.ready_quarters(programme, ready)  # "more than 30 days"
    shown = threats.ready_quarters(programme, ready + timedelta(seconds=1))
    assert shown[0] == Q2 and Quarter(2026, 3) not in shown  # the current quarter never
    assert len(shown) == threats.SHOWN_QUARTERS  # newest first, the last eight
    assert shown == sorted(shown, reverse=True)
    with pytest.raises(ValueError, match="not ready"):
        threats.snapshot(programme, Q2, now=ready, ids=IDS)
    assert not ThreatSnapshot.objects.exists()
    nxt, when = threats.next_ready(ready - timedelta(days=1))
    assert nxt == Q2 and when == ready


def test_no_quarter_before_the_programme_existed() -> None:
    programme, _ = make_programme(6, created=datetime(2026, 2, 15, tzinfo=UTC))
    now = Quarter(2026, 4).start() + timedelta(days=40)
    assert threats.ready_quarters(programme, now) == [Quarter(2026, 3), Q2, Quarter(2026, 1)]


# --- the small-group rule ---------------------------------------------------------------------------------------

def test_figures_below_the_minimum_are_hidden() -> None:
    programme, smes = make_programme(12)
    when = in_quarter(Q2)
    for sme in smes[:5]:  # 5 of 12 with phishing: 5 with, 7 without -> shown
        record(sme, when, "phishing", "minor", "none")
        record(sme, when + timedelta(days=1), "phishing", "minor", "none")  # counted once per SME
    for sme in smes[:4]:  # 4 with malware -> hidden
        record(sme, when, "malware", "severe", "lt_1k")
    for sme in smes[:8]:  # 8 with ransomware, 4 without -> hidden ("all but four")
        record(sme, when, "ransomware", "minor", "unknown")
    record(smes[0], in_quarter(Quarter(2026, 1)), "malware")  # another quarter
    record(smes[1], Q2.end(), "malware")  # the first moment of the next quarter
    now = Q2.ready_at() + timedelta(hours=1)
    figures = threats.snapshot(programme, Q2, now=now, ids=IDS).figures
    assert figures["population"] == 12 and figures["minimum"] == 5
    assert figures["kinds"] == {"phishing": 5, "malware": None, "ransomware": None}
    assert figures["impacts"] == {"none": None, "minor": None, "severe": None}  # 8 with minor: 4 without
    assert figures["cost_bands"] == {"none": 5, "lt_1k": None, "unknown": None}
    assert figures["any"] is None  # 8 of 12 had an incident: 4 without


def test_a_small_programme_shows_nothing() -> None:
    programme, smes = make_programme(9)
    for sme in smes[:5]:
        record(sme, in_quarter(Q2))
    figures = threats.snapshot(programme, Q2, now=Q2.ready_at() + timedelta(days=1), ids=IDS).figures
    assert figures["kinds"]["phishing"] is None  # 5 with, but only 4 without
    assert all(v is None for dim in threats.DIMENSIONS for v in figures[dim].values())
    assert figures["any"] is None


def _every_stored_count(figures: dict[str, Any]) -> list[int]:
    values = [figures["any"], *(v for dim in threats.DIMENSIONS for v in figures[dim].values())]
    return [v for v in values if v is not None]


def test_a_snapshot_stores_only_what_may_be_shown() -> None:
    programme, smes = make_programme(11)
    when = in_quarter(Q2)
    for i, sme in enumerate(smes):
        for kind in IDS["kinds"][: i % 4]:
            record(sme, when, kind)
    snapshot = threats.snapshot(programme, Q2, now=Q2.ready_at() + timedelta(days=1), ids=IDS)
    stored = json.loads(json.dumps(snapshot.figures))
    for count in _every_stored_count(stored):
        assert count >= 5 and stored["population"] - count >= 5
    # nothing but the figures: no company ids or names anywhere in the stored row
    text = json.dumps(stored)
    assert not any(str(sme.pk) in text or sme.name in text for sme in smes)


# --- frozen: two looks cannot be differenced --------------------------------------------------------------------

def test_a_snapshot_never_changes_after_it_was_made() -> None:
    programme, smes = make_programme(12)
    for sme in smes[:6]:
        record(sme, in_quarter(Q2), "phishing")
    now = Q2.ready_at() + timedelta(hours=1)
    first = threats.snapshot(programme, Q2, now=now, ids=IDS)
    assert first.figures["kinds"]["phishing"] == 6
    # one more SME records a (late) phishing incident in that quarter; another deletes theirs
    record(smes[6], in_quarter(Q2, day=20), "phishing")
    Incident.objects.filter(company=smes[0]).delete()
    Company.objects.create(programme=programme, name="Newcomer", country="LV")
    later = threats.snapshot(programme, Q2, now=now + timedelta(days=40), ids=IDS)
    assert later.pk == first.pk and later.figures == first.figures and later.made_at == first.made_at
    assert ThreatSnapshot.objects.filter(programme=programme, period=Q2.label).count() == 1


def test_an_attacker_watching_day_by_day_learns_nothing_new() -> None:
    """A coordinator opens the statistics every day for a year while SMEs record incidents, back-dated into
    every past quarter too. Each quarter's figures, once they appear, are the same on every later day; a
    quarter in progress or in its grace period shows nothing at all; every stored count keeps the rule."""
    programme, smes = make_programme(14)
    day = datetime(2025, 12, 20, 12, 0, tzinfo=UTC)
    seen: dict[str, dict[str, Any]] = {}
    kinds = itertools.cycle(IDS["kinds"])
    impacts = itertools.cycle(IDS["impacts"])
    for step in range(365):
        now = day + timedelta(days=step)
        # every day one SME records an incident: today's, or one back-dated into an earlier quarter
        sme = smes[(step * 5) % len(smes)]
        back = timedelta(days=(step * 37) % 400)
        record(sme, now - back, next(kinds), next(impacts))
        shown = threats.programme_snapshots(programme, now=now)
        current = Quarter.containing(now.astimezone(threats.platform_tz()).date())
        for snapshot in shown:
            quarter = Quarter.parse(snapshot.period)
            assert quarter < current and quarter.ready_at() < now
            if snapshot.period in seen:
                assert snapshot.figures == seen[snapshot.period], f"{snapshot.period} changed on {now:%Y-%m-%d}"
            seen[snapshot.period] = snapshot.figures
            for count in _every_stored_count(snapshot.figures):
                assert count >= 5 and snapshot.figures["population"] - count >= 5
    # the year saw its quarters appear one by one
    assert {"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"} <= set(seen)
    assert "2026-Q4" not in seen
    assert any(_every_stored_count(f) for f in seen.values())  # not vacuous: some figures are shown


# --- the page ---------------------------------------------------------------------------------------------------

def _page(world: World) -> str:
    response = client_for(world.users["coordinator"]).get(
        reverse("programme_threats", kwargs={"programme_id": world.programme.id}))
    assert response.status_code == 200
    return response.content.decode()


def _quarter_table(html: str) -> str:
    return html[html.index('<table class="threat-table">'):html.index("</table>", html.index("threat-table"))]


def test_the_coordinators_page_lists_past_quarters_and_explains_the_rule(world: World) -> None:
    world.programme.created_at = timezone.now() - timedelta(days=3 * 365)
    world.programme.save()
    companies = [world.company_a, world.company_b] + [
        Company.objects.create(programme=world.programme, name=f"SME {i}", country="SE") for i in range(10)]
    now = timezone.now()
    current = Quarter.containing(timezone.localdate(now))
    shown = threats.ready_quarters(world.programme, now)
    newest = shown[0]
    for company in companies[:6]:  # 6 of 12 had phishing in the newest shown quarter
        record(company, in_quarter(newest))
    html = _page(world)
    assert "How the SMEs' privacy is protected" in html and "never change" in html
    table = _quarter_table(html)
    for quarter in shown:
        assert f"<th scope=\"col\">{quarter.label}</th>" in table
    assert current.label not in table
    assert "6 (50%)" in table  # phishing in the newest quarter
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "The same numbers as a table" in html and "hidden" in html
    # one SME records another phishing incident in that quarter: the page says exactly the same
    record(companies[7], in_quarter(newest, day=30))
    record(companies[8], now - timedelta(minutes=5))  # and one in the current quarter
    assert _quarter_table(_page(world)) == table


def test_the_page_never_names_an_sme(world: World) -> None:
    world.company_a.shared_with_programme_at = timezone.now()  # even while A shares its results
    world.company_a.save()
    html = _page(world)
    assert "Fake invoice email" not in html and world.company_a.name not in html.split("<main", 1)[1]
