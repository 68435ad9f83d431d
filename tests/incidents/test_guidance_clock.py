"""Whom to report to (per country), the NIS2 reporting clock and the GDPR 72-hour note.

The NIS2 rule implemented (Art. 23(4); incidents/deadlines.py): counted from becoming aware (when the incident
was noticed, else when it happened) — early warning +24 hours and incident notification +72 hours of real
elapsed time; final report one calendar month after the latest allowed notification, on the wall clock of the
reader's time zone (same time, same day of the next month, or the month's last day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from smecyber.incidents import deadlines
from smecyber.incidents.models import Incident
from tests.incidents.conftest import IN_SCOPE_PROFILE, client_for, submit_assessment
from tests.web.world import World

RIGA = ZoneInfo("Europe/Riga")

# The national CSIRT each SME is sent to (issue 5), with its web address.
CSIRTS = {
    "SE": ("CERT-SE", "https://www.cert.se"),
    "LV": ("CERT.LV", "https://cert.lv"),
    "LT": ("NKSC", "https://www.nksc.lt"),
    "EE": ("CERT-EE", "https://www.ria.ee"),
    "FI": ("NCSC-FI", "https://www.kyberturvallisuuskeskus.fi"),
    "PL": ("CERT Polska", "https://cert.pl"),
    "DE": ("BSI", "https://www.bsi.bund.de"),
    "DK": ("CFCS", "https://www.cfcs.dk"),
}


def riga(*args: int) -> datetime:
    return datetime(*args, tzinfo=RIGA)  # type: ignore[misc]


def local(when: datetime) -> str:
    return when.astimezone(RIGA).strftime("%Y-%m-%d %H:%M %Z")


# --- whom to report to ------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("country", sorted(CSIRTS))
def test_guidance_names_the_countrys_csirt(world: World, country: str) -> None:
    world.company_a.country = country
    world.company_a.save()
    html = client_for(world.users["member"]).get(
        reverse("incident_guidance", kwargs={"company_id": world.company_a.id})).content.decode()
    own, others = html.split('id="others-heading"')
    name, url = CSIRTS[country]
    assert name in own and f'href="{url}"' in own
    # the other countries' CSIRTs are listed below, not in the company's own section
    for other, (_name, other_url) in CSIRTS.items():
        if other != country:
            assert f'href="{other_url}"' not in own and f'href="{other_url}"' in others
    assert "guidance, not legal advice" in html
    # the incident's own page sends to the same CSIRT
    detail = client_for(world.users["member"]).get(reverse("incident_detail", kwargs={
        "company_id": world.company_a.id, "incident_id": world.incident.pk})).content.decode()  # type: ignore[union-attr]
    assert name in detail and f'href="{url}"' in detail


@pytest.mark.django_db
def test_a_country_without_data_still_gets_guidance(world: World) -> None:
    world.company_a.country = "NO"
    world.company_a.save()
    html = client_for(world.users["owner"]).get(
        reverse("incident_guidance", kwargs={"company_id": world.company_a.id})).content.decode()
    assert "We have no contacts for your company's country yet." in html
    assert 'href="https://www.cert.se"' in html  # the other countries as examples
    form = client_for(world.users["owner"]).get(
        reverse("incident_new", kwargs={"company_id": world.company_a.id})).content.decode()
    assert "The police" in form and "Someone else" in form


# --- the clock, exactly ---------------------------------------------------------------------------------------

def test_nis2_clock_across_the_spring_change_in_riga() -> None:
    # Riga moves from UTC+2 to UTC+3 at 03:00 on Sunday 29 March 2026.
    early, notification, final = deadlines.nis2_clock(riga(2026, 3, 28, 10, 0), RIGA)
    assert early.due == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # exactly 24 hours later ...
    assert local(early.due) == "2026-03-29 11:00 EEST"  # ... which the wall clock reads as 11:00
    assert local(notification.due) == "2026-03-31 11:00 EEST"
    assert notification.due - early.due == timedelta(hours=48)
    assert local(final.due) == "2026-04-30 11:00 EEST"  # 31 March + 1 month = 30 April (last day)


def test_nis2_clock_across_the_autumn_change_in_riga() -> None:
    # Riga moves back from UTC+3 to UTC+2 at 04:00 on Sunday 25 October 2026.
    early, notification, final = deadlines.nis2_clock(riga(2026, 10, 24, 10, 0), RIGA)
    assert local(early.due) == "2026-10-25 09:00 EET"
    assert early.due - riga(2026, 10, 24, 10, 0) == timedelta(hours=24)
    assert local(notification.due) == "2026-10-27 09:00 EET"
    assert local(final.due) == "2026-11-27 09:00 EET"


def test_the_boundary_minute_around_the_change() -> None:
    # The jump is at 03:00 on 29 March. Aware at 02:59 the day before: due 02:59, still winter time. Aware one
    # minute later: due at the very instant of the jump, which the clock shows as 04:00.
    before, _, _ = deadlines.nis2_clock(riga(2026, 3, 28, 2, 59), RIGA)
    at, _, _ = deadlines.nis2_clock(riga(2026, 3, 28, 3, 0), RIGA)
    assert local(before.due) == "2026-03-29 02:59 EET"
    assert local(at.due) == "2026-03-29 04:00 EEST"
    assert at.due - before.due == timedelta(minutes=1)
    # Aware during the repeated autumn hour: the first 03:30 (summer time) and the second (winter time) are an
    # hour apart, and so are their deadlines.
    first = riga(2026, 10, 25, 3, 30)
    second = first.replace(fold=1)
    assert deadlines.nis2_clock(first, RIGA)[0].due == datetime(2026, 10, 26, 0, 30, tzinfo=UTC)
    assert deadlines.nis2_clock(second, RIGA)[0].due == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_the_final_report_month_is_a_calendar_month() -> None:
    # notification deadline 31 January -> final report 28 February (2027) / 29 February (2028)
    assert local(deadlines.nis2_clock(riga(2027, 1, 28, 12, 0), RIGA)[2].due) == "2027-02-28 12:00 EET"
    assert local(deadlines.nis2_clock(riga(2028, 1, 28, 12, 0), RIGA)[2].due) == "2028-02-29 12:00 EET"
    # December -> January of the next year
    assert local(deadlines.nis2_clock(riga(2026, 12, 20, 8, 15), RIGA)[2].due) == "2027-01-23 08:15 EET"
    # a month that starts in winter time and ends in summer time keeps the wall-clock time
    assert local(deadlines.nis2_clock(riga(2026, 3, 1, 9, 0), RIGA)[2].due) == "2026-04-04 09:00 EEST"


def test_a_month_landing_in_the_missing_or_repeated_hour() -> None:
    # Riga's spring change in 2028 is on 26 March: 03:30 does not exist that day. It is read with the offset
    # before the jump (UTC+2), i.e. 01:30 UTC, which the clock shows as 04:30.
    missing = deadlines.add_calendar_month(riga(2028, 2, 26, 3, 30), RIGA)
    assert missing == datetime(2028, 3, 26, 1, 30, tzinfo=UTC)
    assert local(missing) == "2028-03-26 04:30 EEST"
    # Autumn 2026: 03:30 on 25 October happens twice; the first (earlier, summer time) one is taken.
    repeated = deadlines.add_calendar_month(riga(2026, 9, 25, 3, 30), RIGA)
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local(repeated) == "2026-10-25 03:30 EEST"


def test_exactly_at_the_deadline_is_in_time() -> None:
    early = deadlines.nis2_clock(riga(2026, 5, 1, 12, 0), RIGA)[0]
    assert not early.overdue(early.due)
    assert early.overdue(early.due + timedelta(seconds=1))
    assert early.remaining(early.due - timedelta(hours=1)) == timedelta(hours=1)


def test_the_clock_starts_when_the_company_became_aware() -> None:
    occurred, noticed = riga(2026, 5, 1, 12, 0), riga(2026, 5, 3, 8, 0)
    assert deadlines.aware_at(occurred, noticed) == noticed
    assert deadlines.aware_at(occurred, None) == occurred
    with pytest.raises(ValueError, match="aware datetime"):
        deadlines.nis2_clock(datetime(2026, 5, 1, 12, 0), RIGA)  # naive: no guessing


# --- the clock on the incident's page --------------------------------------------------------------------------

def _detail(world: World, incident: Incident) -> str:
    response = client_for(world.users["owner"]).get(reverse("incident_detail", kwargs={
        "company_id": incident.company_id, "incident_id": incident.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_nis2_deadlines_in_the_users_time_zone(world: World, settings: object) -> None:
    settings.TIME_ZONE = "Europe/Riga"  # type: ignore[attr-defined]
    submit_assessment(world.company_a, **IN_SCOPE_PROFILE)
    incident = Incident.objects.create(company=world.company_a, kind="ransomware", title="Files encrypted",
                                       occurred_at=riga(2026, 3, 27, 22, 0), detected_at=riga(2026, 3, 28, 10, 0),
                                       impact="severe", cost_band="unknown")
    html = _detail(world, incident)
    assert "NIS2: your company is probably covered" in html
    assert "Sunday, March 29, 2026, 11 a.m." in html  # early warning
    assert "Tuesday, March 31, 2026, 11 a.m." in html  # incident notification
    assert "Thursday, April 30, 2026, 11 a.m." in html  # final report
    assert html.count("Overdue by") == 3 and "Due in" not in html
    assert "Europe/Riga" in html
    assert "guidance, not legal advice" in html


@pytest.mark.django_db
def test_a_fresh_incident_shows_time_left(world: World) -> None:
    submit_assessment(world.company_a, **IN_SCOPE_PROFILE)
    noticed = timezone.now() - timedelta(hours=1)
    incident = Incident.objects.create(company=world.company_a, kind="ddos", title="Shop down",
                                       occurred_at=noticed - timedelta(hours=3), detected_at=noticed,
                                       impact="significant", cost_band="unknown")
    html = _detail(world, incident)
    assert html.count("Due in") == 3 and "Overdue" not in html
    assert "Due in 22\xa0hours" in html  # 24 h after becoming aware, an hour of which has passed


@pytest.mark.django_db
def test_no_nis2_clock_when_out_of_scope(world: World) -> None:
    # A's latest submitted self-assessment: a small retailer, in no NIS2 sector
    html = _detail(world, world.incident)  # type: ignore[arg-type]
    assert "NIS2 probably does not apply to your company" in html
    assert "Early warning" not in html and "Incident notification" not in html
    # a company without a submitted self-assessment is pointed to it instead of getting a guess
    incident_b = Incident.objects.create(company=world.company_b, kind="malware", title="Virus",
                                         occurred_at=timezone.now() - timedelta(hours=5), impact="minor",
                                         cost_band="none")
    html_b = client_for(world.users["other_sme"]).get(reverse("incident_detail", kwargs={
        "company_id": world.company_b.id, "incident_id": incident_b.pk})).content.decode()
    assert "Until you submit a self-assessment, NIS2 reporting deadlines are not shown." in html_b
    assert "Early warning" not in html_b


@pytest.mark.django_db
def test_a_newer_self_assessment_out_of_scope_stops_the_clock(world: World) -> None:
    old = submit_assessment(world.company_a, **IN_SCOPE_PROFILE)
    old.submitted_at = timezone.now() - timedelta(days=10)
    old.save()
    submit_assessment(world.company_a, size_band="small", sector="G")
    assert "Early warning" not in _detail(world, world.incident)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_gdpr_note_when_personal_data_was_affected(world: World, settings: object) -> None:
    settings.TIME_ZONE = "Europe/Riga"  # type: ignore[attr-defined]
    world.company_a.country = "LV"
    world.company_a.save()
    incident = Incident.objects.create(company=world.company_a, kind="data_breach", title="Customer list sent out",
                                       occurred_at=riga(2026, 10, 23, 16, 45), affected=["email", "customer_data"],
                                       impact="significant", cost_band="none")
    html = _detail(world, incident)
    assert "GDPR: personal data was affected" in html
    assert "Monday, Oct. 26, 2026, 3:45 p.m." in html  # 72 hours later, across the autumn change: 15:45 EET
    assert "Datu valsts inspekcija" in html  # Latvia's data protection authority
    assert "Early warning" not in html  # out of NIS2 scope: the GDPR clock only
    # employee data counts as personal data too; email alone does not
    incident.affected = ["employee_data"]
    incident.save()
    assert "GDPR: personal data was affected" in _detail(world, incident)
    incident.affected = ["email", "website"]
    incident.save()
    assert "GDPR: personal data was affected" not in _detail(world, incident)
