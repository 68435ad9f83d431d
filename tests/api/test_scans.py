"""Scans and findings through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from smecyber.accounts.models import AuditEvent
from smecyber.catalog import load_catalog
from smecyber.scans.models import Scan
from tests.api.conftest import API
from tests.web.world import FINDINGS_A, World

Persona = Callable[[str], Client]


def test_scan_list_of_a_domain(world: World, as_persona: Persona) -> None:
    body = as_persona("owner").get(f"{API}/domains/{world.domain.id}/scans").json()
    assert body["count"] == 1
    scan = body["items"][0]
    assert (scan["id"], scan["status"], scan["progress"], scan["domain"]) == (str(world.scan.id), "done", 100,
                                                                               "good.test")


def test_scan_detail_has_status_progress_grades_and_facts(world: World, as_persona: Persona) -> None:
    body = as_persona("member").get(f"{API}/scans/{world.scan.id}").json()
    assert body["status"] == "done"
    assert body["progress"] == 100
    assert body["grades"]["overall"]["letter"] == "B+"
    assert body["facts"]["dmarc_policy"] == "missing"


@pytest.mark.parametrize("persona", ["other_sme", "advisor_without_consent", "coordinator"])
def test_scans_of_an_invisible_sme_are_404(world: World, as_persona: Persona, persona: str) -> None:
    client = as_persona(persona)
    for url in (f"/domains/{world.domain.id}/scans", f"/scans/{world.scan.id}", f"/scans/{world.scan.id}/findings"):
        assert client.get(API + url).status_code == 404, url


def test_findings_worst_first_with_catalog_text_in_the_asked_language(world: World, as_persona: Persona) -> None:
    client = as_persona("owner")
    body = client.get(f"{API}/scans/{world.scan.id}/findings?lang=sv").json()
    assert body["count"] == len(FINDINGS_A)
    first = body["items"][0]
    assert first["key"] == "mail.dmarc.missing"  # -30 points: the worst
    sv = load_catalog().entry("mail.dmarc.missing", "sv")
    assert (first["lang"], first["title"], first["why"], first["how"]) == ("sv", sv.title, sv.why, sv.how)
    assert first["title"] != load_catalog().entry("mail.dmarc.missing", "en").title
    lt = client.get(f"{API}/scans/{world.scan.id}/findings?lang=lt").json()["items"][0]
    assert lt["title"] == load_catalog().entry("mail.dmarc.missing", "lt").title
    assert client.get(f"{API}/scans/{world.scan.id}/findings?lang=xx").status_code == 422


def test_findings_default_to_the_users_language(world: World, as_persona: Persona) -> None:
    owner = world.users["owner"]
    owner.language = "lv"
    owner.save()
    first = as_persona("owner").get(f"{API}/scans/{world.scan.id}/findings").json()["items"][0]
    assert first["lang"] == "lv"
    assert first["title"] == load_catalog().entry(first["key"], "lv").title


def test_findings_filter_by_status(world: World, as_persona: Persona) -> None:
    body = as_persona("owner").get(f"{API}/scans/{world.scan.id}/findings?status=pass").json()
    assert [f["key"] for f in body["items"]] == ["tls.certificate.ok"]


def test_advisor_reading_results_is_audited_and_the_smes_own_people_are_not(world: World,
                                                                            as_persona: Persona) -> None:
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS, company=world.company_a)
    assert as_persona("member").get(f"{API}/scans/{world.scan.id}/findings").status_code == 200
    assert not views.exists()
    advisor = as_persona("advisor_with_consent")
    assert advisor.get(f"{API}/scans/{world.scan.id}/findings").status_code == 200
    assert advisor.get(f"{API}/scans/{world.scan.id}").status_code == 200  # the same look: one line, as in the UI
    event = views.get()
    assert event.actor == world.users["advisor_with_consent"]
    assert event.target == "good.test"


def test_request_a_scan_answers_202_and_never_duplicates(world: World, as_persona: Persona) -> None:
    client = as_persona("member")
    first = client.post(f"{API}/domains/{world.domain.id}/scans")
    assert first.status_code == 202, first.content
    body = first.json()
    assert body["status"] in ("queued", "running")
    assert body["trigger"] == "api"
    again = client.post(f"{API}/domains/{world.domain.id}/scans")
    assert again.status_code == 202
    assert again.json()["id"] == body["id"]
    assert Scan.objects.filter(domain=world.domain).count() == 2  # the finished one and this one


@pytest.mark.parametrize("persona", ["advisor_with_consent", "other_sme", "coordinator"])
def test_only_the_smes_people_request_scans(world: World, as_persona: Persona, persona: str) -> None:
    assert as_persona(persona).post(f"{API}/domains/{world.domain.id}/scans").status_code == 404
    assert Scan.objects.filter(domain=world.domain).count() == 1
