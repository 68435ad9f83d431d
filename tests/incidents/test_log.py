"""The incident log: recording, editing and deleting, the checks on what is entered, and who sees what."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.incidents import services
from smecyber.incidents.models import Incident
from tests.incidents.conftest import client_for, form_data, local_input
from tests.web.world import World

pytestmark = pytest.mark.django_db


def list_url(world: World) -> str:
    return reverse("incident_list", kwargs={"company_id": world.company_a.id})


def new_url(world: World) -> str:
    return reverse("incident_new", kwargs={"company_id": world.company_a.id})


def incident_url(world: World, name: str, incident: Incident | None = None) -> str:
    incident = incident or world.incident
    assert incident is not None
    return reverse(name, kwargs={"company_id": incident.company_id, "incident_id": incident.pk})


# --- the log and recording --------------------------------------------------------------------------------------

def test_the_log_lists_incidents_with_their_labels(world: World) -> None:
    page = client_for(world.users["member"]).get(list_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Record an incident" in html
    assert "Phishing" in html and "Fake invoice email" in html  # the type's label, not its id
    assert "Minor" in html and "No cost" in html
    assert incident_url(world, "incident_detail") in html


def test_an_empty_log_says_so(world: World) -> None:
    page = client_for(world.users["other_sme"]).get(
        reverse("incident_list", kwargs={"company_id": world.company_b.id}))
    assert page.status_code == 200
    assert "No incidents recorded." in page.content.decode()


def test_the_form_offers_the_catalog_and_the_countrys_authorities(world: World) -> None:
    html = client_for(world.users["owner"]).get(new_url(world)).content.decode()
    assert 'type="datetime-local"' in html
    assert "Invoice or CEO fraud" in html and "What the types mean" in html
    # impact radios carry their definitions
    assert 'type="radio" name="impact" value="severe"' in html and "The business stopped" in html
    # A is in Sweden: its CSIRT and data protection authority, not Latvia's
    assert "CERT-SE" in html and "Integritetsskyddsmyndigheten" in html and "CERT.LV" not in html
    assert "Polisen" in html and "Someone else" in html


def test_an_owner_records_an_incident(world: World) -> None:
    response = client_for(world.users["owner"]).post(new_url(world), form_data(reported_to=["police", "cert_se"]))
    assert response.status_code == 302
    incident = Incident.objects.exclude(pk=world.incident.pk).get(company=world.company_a)  # type: ignore[union-attr]
    assert response["Location"] == incident_url(world, "incident_detail", incident)
    assert (incident.kind, incident.impact, incident.cost_band) == ("invoice_fraud", "significant", "1k_10k")
    assert incident.affected == ["email", "payment"]
    assert incident.reported and incident.reported_to == ["police", "cert_se"]
    assert incident.created_by == world.users["owner"]
    assert incident.detected_at is None
    page = client_for(world.users["owner"]).get(response["Location"]).content.decode()
    assert "Fake bank details" in page and "Polisen, CERT-SE" in page


def test_times_are_read_in_the_users_time_zone(world: World, settings: object) -> None:
    settings.TIME_ZONE = "Europe/Riga"  # type: ignore[attr-defined]
    data = form_data(occurred_at="2026-01-15T09:30", detected_at="2026-01-15T11:00")
    assert client_for(world.users["owner"]).post(new_url(world), data).status_code == 302
    incident = Incident.objects.get(company=world.company_a, title=data["title"])
    assert incident.occurred_at.isoformat() == "2026-01-15T07:30:00+00:00"  # Riga is UTC+2 in winter
    assert incident.detected_at is not None and incident.detected_at.isoformat() == "2026-01-15T09:00:00+00:00"
    # the edit form shows them back in the same local time
    html = client_for(world.users["owner"]).get(incident_url(world, "incident_edit", incident)).content.decode()
    assert 'value="2026-01-15T09:30"' in html and 'value="2026-01-15T11:00"' in html


def test_a_member_edits_an_incident(world: World) -> None:
    incident = world.incident
    assert incident is not None
    data = form_data(kind="phishing", title="Fake invoice email (clicked)", impact="minor", cost_band="unknown",
                     reported="no", reported_to=[], occurred_at=local_input(incident.occurred_at))
    response = client_for(world.users["member"]).post(incident_url(world, "incident_edit"), data)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Fake invoice email (clicked)" and incident.cost_band == "unknown"
    assert not incident.reported and incident.reported_to == []
    assert incident.updated_at > incident.created_at


def test_an_owner_deletes_an_incident(world: World) -> None:
    client = client_for(world.users["owner"])
    assert client.get(incident_url(world, "incident_delete")).status_code == 405  # a link cannot delete
    response = client.post(incident_url(world, "incident_delete"))
    assert response.status_code == 302 and response["Location"] == list_url(world)
    assert not Incident.objects.filter(pk=world.incident.pk).exists()  # type: ignore[union-attr]


# --- bad input: 400 with a message, never a traceback ------------------------------------------------------------

def _errors(world: World, **overrides: object) -> str:
    response = client_for(world.users["owner"]).post(new_url(world), form_data(**overrides))
    assert response.status_code == 400, response.status_code
    assert Incident.objects.filter(company=world.company_a).count() == 1  # nothing saved
    html = response.content.decode()
    assert "Please correct the marked fields." in html
    return html


@pytest.mark.parametrize(("overrides", "message"), [
    ({"kind": ""}, "This field is required."),
    ({"kind": "alien_invasion"}, "Select a valid choice."),
    ({"impact": "catastrophic"}, "Select a valid choice."),
    ({"cost_band": "1m"}, "Select a valid choice."),
    ({"affected": ["email", "the_moon"]}, "Select a valid choice."),
    ({"title": "   "}, "This field is required."),
    ({"title": "x" * 201}, "at most 200 characters"),
    ({"occurred_at": ""}, "This field is required."),
    ({"occurred_at": "yesterday"}, "Enter a valid date/time."),
    ({"occurred_at": "2026-02-30T10:00"}, "Enter a valid date/time."),
    ({"occurred_at": "0001-01-01T00:00"}, "Enter a date after 1970."),
    ({"occurred_at": "9999-12-31T23:59"}, "This time is in the future."),
    ({"notes": "bad\x00byte"}, "Null characters are not allowed."),
    ({"reported": "maybe"}, "Select a valid choice."),
    # Latvia's CSIRT is not a choice for a Swedish company
    ({"reported_to": ["cert_lv"]}, "Select a valid choice."),
    ({"reported": "yes", "reported_to": []}, "Tick whom you reported the incident to."),
    ({"reported": "no", "reported_to": ["police"]}, "You ticked whom you reported it to."),
    ({"reported": "yes", "reported_to": ["other"], "reported_other": ""}, "Say whom else you reported it to."),
])
def test_bad_input_is_refused_with_a_message(world: World, overrides: dict[str, object], message: str) -> None:
    assert message in _errors(world, **overrides)


def test_an_incident_cannot_happen_in_the_future(world: World) -> None:
    html = _errors(world, occurred_at=local_input(timezone.now() + timedelta(hours=2)))
    assert "This time is in the future. Enter when it actually happened." in html


def test_it_cannot_be_noticed_before_it_happened(world: World) -> None:
    now = timezone.now()
    html = _errors(world, occurred_at=local_input(now - timedelta(days=1)),
                   detected_at=local_input(now - timedelta(days=2)))
    assert "You cannot have noticed it before it happened." in html
    html = _errors(world, detected_at=local_input(now + timedelta(days=1)))
    assert "This time is in the future." in html


def test_a_time_that_does_not_exist_in_the_users_zone_is_refused(world: World, settings: object) -> None:
    settings.TIME_ZONE = "Europe/Stockholm"  # type: ignore[attr-defined]
    html = _errors(world, occurred_at="2026-03-29T02:30")  # clocks jump from 02:00 to 03:00 that night
    assert "couldn’t be interpreted in time zone" in html or "could not be interpreted" in html


def test_the_service_checks_what_the_form_cannot(world: World) -> None:
    """Other callers than the form (an API, a script) get the same checks, all problems at once."""
    now = timezone.now()
    data = services.IncidentData(kind="phishing", title="x", occurred_at=now - timedelta(hours=1), impact="minor",
                                 cost_band="none", affected=["email", "nowhere"], reported=True,
                                 reported_to=["cert_lv", "police"], notes="a\x00b",
                                 detected_at=now - timedelta(hours=2))
    with pytest.raises(services.IncidentInvalid) as caught:
        services.create_incident(world.company_a, world.users["owner"], data)
    assert set(caught.value.errors) == {"affected", "reported_to", "notes", "detected_at"}
    naive = services.IncidentData(kind="phishing", title="x", occurred_at=now.replace(tzinfo=None),
                                  impact="minor", cost_band="none")
    with pytest.raises(services.IncidentInvalid) as caught:
        services.validate(world.company_a, naive)
    assert "occurred_at" in caught.value.errors
    # the same ids are fine for the Latvian company B
    ok = services.validate(world.company_b, services.IncidentData(
        kind="phishing", title=" x ", occurred_at=now - timedelta(hours=1), impact="minor", cost_band="none",
        reported=True, reported_to=["cert_lv", "cert_lv", "other"], reported_other=" the bank "))
    assert ok.reported_to == ["cert_lv", "other"] and ok.reported_other == "the bank" and ok.title == "x"


def test_other_reported_text_is_dropped_when_other_is_not_ticked(world: World) -> None:
    client_for(world.users["owner"]).post(new_url(world), form_data(reported_to=["police"],
                                                                     reported_other="my neighbour"))
    incident = Incident.objects.get(company=world.company_a, kind="invoice_fraud")
    assert incident.reported_other == ""


# --- who sees what ----------------------------------------------------------------------------------------------

def test_another_companys_incident_answers_404(world: World) -> None:
    theirs = Incident.objects.create(company=world.company_b, kind="malware", title="B's laptop virus",
                                     occurred_at=timezone.now() - timedelta(days=1), impact="minor",
                                     cost_band="none")
    owner = client_for(world.users["owner"])
    for name in ("incident_detail", "incident_edit"):
        # B's incident under A's address: A's owner may see A, but the incident is not A's
        wrong = reverse(name, kwargs={"company_id": world.company_a.id, "incident_id": theirs.pk})
        assert owner.get(wrong).status_code == 404
        assert owner.get(incident_url(world, name, theirs)).status_code == 404
    wrong = reverse("incident_delete", kwargs={"company_id": world.company_a.id, "incident_id": theirs.pk})
    assert owner.post(wrong).status_code == 404
    assert owner.post(wrong.replace(str(theirs.pk), str(uuid.uuid4()))).status_code == 404
    assert Incident.objects.filter(pk=theirs.pk).exists()
    edit = reverse("incident_edit", kwargs={"company_id": world.company_a.id, "incident_id": theirs.pk})
    assert owner.post(edit, form_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "B's laptop virus"


def test_a_coordinator_never_sees_an_smes_incidents_even_while_it_shares(world: World) -> None:
    world.company_a.shared_with_programme_at = timezone.now()
    world.company_a.save()
    coordinator = client_for(world.users["coordinator"])
    # sharing is on: the coordinator sees A's dashboard ...
    assert coordinator.get(reverse("company_dashboard", kwargs={"company_id": world.company_a.id})).status_code == 200
    # ... but none of its incident pages
    for url in (list_url(world), new_url(world), incident_url(world, "incident_detail"),
                incident_url(world, "incident_edit"),
                reverse("incident_guidance", kwargs={"company_id": world.company_a.id})):
        assert coordinator.get(url).status_code == 404, url
    assert coordinator.post(incident_url(world, "incident_delete")).status_code == 404
    assert coordinator.post(new_url(world), form_data()).status_code == 404
    assert Incident.objects.filter(company=world.company_a).count() == 1
    # and the company's navigation offers no incident link to the coordinator
    html = coordinator.get(reverse("company_dashboard", kwargs={"company_id": world.company_a.id})).content.decode()
    assert list_url(world) not in html


def test_an_advisor_with_consent_reads_and_is_audited(world: World) -> None:
    advisor = client_for(world.users["advisor_with_consent"])
    before = AuditEvent.objects.filter(company=world.company_a, action=AuditEvent.Action.VIEW_RESULTS).count()
    page = advisor.get(list_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fake invoice email" in html and "Record an incident" not in html
    detail = advisor.get(incident_url(world, "incident_detail")).content.decode()
    assert "Fake invoice email" in detail
    assert incident_url(world, "incident_edit") not in detail and incident_url(world, "incident_delete") not in detail
    events = list(AuditEvent.objects.filter(company=world.company_a, action=AuditEvent.Action.VIEW_RESULTS)
                  .order_by("at", "id"))[before:]
    assert [e.detail.get("page") for e in events] == ["incidents", "incidents"]
    assert all(e.actor == world.users["advisor_with_consent"] and e.detail["access"] == "advisor" for e in events)
    assert events[1].detail["incident"] == str(world.incident.pk)  # type: ignore[union-attr]
    # read-only
    assert advisor.get(new_url(world)).status_code == 404
    assert advisor.post(new_url(world), form_data()).status_code == 404
    assert advisor.post(incident_url(world, "incident_edit"), form_data()).status_code == 404
    assert advisor.post(incident_url(world, "incident_delete")).status_code == 404
    assert Incident.objects.filter(company=world.company_a).count() == 1


def test_the_smes_own_people_are_not_audited(world: World) -> None:
    before = AuditEvent.objects.count()
    client_for(world.users["owner"]).get(list_url(world))
    client_for(world.users["member"]).get(incident_url(world, "incident_detail"))
    assert AuditEvent.objects.count() == before


def test_strangers_get_404_and_anonymous_is_sent_to_log_in(world: World) -> None:
    for persona in ("other_sme", "advisor_without_consent"):
        assert client_for(world.users[persona]).get(list_url(world)).status_code == 404
    response = client_for(None).get(list_url(world))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("lang", ["sv", "lv", "lt"])
def test_the_pages_render_in_every_language(world: World, lang: str) -> None:
    client = client_for(world.users["owner"])
    client.cookies["django_language"] = lang
    for url in (list_url(world), new_url(world), incident_url(world, "incident_detail"),
                reverse("incident_guidance", kwargs={"company_id": world.company_a.id})):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{lang}"' in response.content.decode()
