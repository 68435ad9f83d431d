"""The latest self-assessment and the action plan through the API: the UI's permissions and rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from smecyber.accounts.models import AuditEvent
from smecyber.assessments.models import ActionItem, Assessment
from smecyber.assessments.plan_service import refresh_plan
from smecyber.catalog.questionnaire import load_questionnaire
from tests.api.conftest import API
from tests.assessments.plan_world import dmarc_question, dmarc_recommendation, submit_answers
from tests.web.world import World

Persona = Callable[[str], Client]


def plan_url(world: World) -> str:
    return f"{API}/companies/{world.company_a.id}/action-plan"


@pytest.fixture
def planned(world: World) -> World:
    submit_answers(world.company_a, world.users["owner"], {dmarc_question().id: "0"},
                   profile={"country": "SE", "size_band": "medium", "sector": "D", "employees": 60,
                            "nis2_sector": next(iter(load_questionnaire().nis2_sectors))})
    refresh_plan(world.company_a)
    return world


# --- the latest assessment ----------------------------------------------------------------------------------------

def test_latest_assessment(world: World, as_persona: Persona) -> None:
    response = as_persona("member").get(f"{API}/companies/{world.company_a.id}/assessment?lang=sv")
    assert response.status_code == 200, response.content
    body = response.json()
    submitted = Assessment.objects.get(company=world.company_a, status="submitted")
    assert body["id"] == str(submitted.id)
    assert body["questionnaire_version"] == "2026.1" and body["lang"] == "sv"
    assert body["overall"] == 1.5 and body["level"] == 1
    q = load_questionnaire()
    assert body["areas"] == [
        {"area": "governance", "title": q.areas["governance"].text("sv").title, "score": 2.0, "level": 2},
        {"area": "backups", "title": q.areas["backups"].text("sv").title, "score": 1.0, "level": 1},
    ]
    assert body["nis2"]["scope"] == "out" and body["nis2"]["sector"] == ""  # no NIS2 sector given
    assert body["nis2"]["reasons"]  # the reasoning, with the disclaimer


def test_latest_assessment_with_a_nis2_sector(planned: World, as_persona: Persona) -> None:
    body = as_persona("owner").get(f"{API}/companies/{planned.company_a.id}/assessment").json()
    assert body["nis2"]["scope"] in ("important", "essential")  # a medium company in a NIS2 sector
    assert body["nis2"]["size"] == "medium"


def test_no_submitted_assessment_is_404(world: World, as_persona: Persona) -> None:
    Assessment.objects.filter(company=world.company_a, status="submitted").delete()
    response = as_persona("owner").get(f"{API}/companies/{world.company_a.id}/assessment")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["other_sme", "advisor_without_consent", "coordinator"])
def test_others_get_404(world: World, as_persona: Persona, persona: str) -> None:
    client = as_persona(persona)
    assert client.get(f"{API}/companies/{world.company_a.id}/assessment").status_code == 404
    assert client.get(plan_url(world)).status_code == 404


def test_an_advisor_reading_is_audited(planned: World, as_persona: Persona) -> None:
    assert as_persona("advisor_with_consent").get(plan_url(planned)).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS, company=planned.company_a,
                                     actor=planned.users["advisor_with_consent"], target="action plan").exists()


# --- the action plan ----------------------------------------------------------------------------------------------

def test_action_plan_lists_active_items_with_texts(planned: World, as_persona: Persona) -> None:
    response = as_persona("member").get(plan_url(planned) + "?lang=lv")
    assert response.status_code == 200, response.content
    body = response.json()
    active = ActionItem.objects.filter(company=planned.company_a, active=True).order_by("rank")
    assert body["count"] == active.count()
    assert [i["id"] for i in body["items"]] == [i.pk for i in active]
    rec_id = dmarc_recommendation()
    item = next(i for i in body["items"] if i["key"] == rec_id)
    rec = load_questionnaire().recommendations[rec_id]
    assert item["lang"] == "lv" and item["title"] == rec.text("lv").title and item["how"] == rec.text("lv").how
    assert item["steps"] and item["status"] == "todo" and item["checked_by_scans"] is True
    assert item["answers"][0]["question_id"] == dmarc_question().id and item["answers"][0]["answer"] == "0"
    assert item["findings"] == [{"key": "mail.dmarc.missing", "status": "fail", "domain": "good.test",
                                 "title": item["findings"][0]["title"]}]
    page = as_persona("member").get(plan_url(planned) + "?limit=1&offset=1").json()
    assert page["count"] == active.count() and [i["id"] for i in page["items"]] == [active[1].pk]


def test_action_plan_filters(planned: World, as_persona: Persona) -> None:
    item = ActionItem.objects.get(company=planned.company_a, key=dmarc_recommendation())
    item.status = "doing"
    item.save()
    body = as_persona("owner").get(plan_url(planned) + "?status=doing").json()
    assert [i["id"] for i in body["items"]] == [item.pk]
    assert as_persona("owner").get(plan_url(planned) + "?status=nonsense").status_code == 422


# --- changes ------------------------------------------------------------------------------------------------------

def post(client: Client, world: World, item_id: int, body: dict[str, object]) -> Any:
    return client.post(f"{plan_url(world)}/{item_id}", body, content_type="application/json")


def test_update_an_item(planned: World, as_persona: Persona) -> None:
    item = ActionItem.objects.get(company=planned.company_a, key=dmarc_recommendation())
    response = post(as_persona("member"), planned, item.pk, {"status": "done", "due_date": "2031-04-05",
                                                             "owner": "it_provider"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["due_date"], body["owner"]) == ("done", "2031-04-05", "it_provider")
    assert body["done_at"] is not None
    item.refresh_from_db()
    assert item.status == "done" and item.updated_by == planned.users["member"]
    # only what is sent changes; null removes the due date
    body = post(as_persona("owner"), planned, item.pk, {"due_date": None}).json()
    assert (body["status"], body["due_date"], body["owner"]) == ("done", None, "it_provider")


@pytest.mark.parametrize("body", [
    {"status": "accepted"},  # a reason is required
    {"status": "accepted", "status_reason": "  "},
    {"due_date": "1999-12-31"},
    {"due_date": "2031-02-30"},
    {"status": "finished"},
    {"owner": "nobody"},
    {"status_reason": "x" * 2001},
    {"status": "accepted", "status_reason": "no\x00mail"},  # PostgreSQL cannot store a NUL: 422, not 500
])
def test_invalid_updates_answer_422(planned: World, as_persona: Persona, body: dict[str, object]) -> None:
    item = ActionItem.objects.get(company=planned.company_a, key=dmarc_recommendation())
    response = post(as_persona("owner"), planned, item.pk, body)
    assert response.status_code == 422, response.content
    item.refresh_from_db()
    assert item.status == "todo" and item.status_reason == ""


def test_accepted_with_a_reason(planned: World, as_persona: Persona) -> None:
    item = ActionItem.objects.get(company=planned.company_a, key=dmarc_recommendation())
    response = post(as_persona("owner"), planned, item.pk, {"status": "accepted", "status_reason": "No mail here"})
    assert response.status_code == 200
    assert response.json()["status_reason"] == "No mail here"
    response = post(as_persona("owner"), planned, item.pk, {"status": "accepted"})  # the stored reason counts
    assert response.status_code == 200


def test_another_companys_item_is_404(planned: World, as_persona: Persona) -> None:
    theirs = ActionItem.objects.create(company=planned.company_b, key="finding:mail.dmarc.missing")
    assert post(as_persona("owner"), planned, theirs.pk, {"status": "done"}).status_code == 404
    assert post(as_persona("owner"), planned, 10**9, {"status": "done"}).status_code == 404
    ours = ActionItem.objects.get(company=planned.company_a, key=dmarc_recommendation())
    response = as_persona("other_sme").post(f"{API}/companies/{planned.company_b.id}/action-plan/{ours.pk}",
                                            {"status": "done"}, content_type="application/json")
    assert response.status_code == 404
    for persona in ("advisor_with_consent", "coordinator", "other_sme"):
        assert post(as_persona(persona), planned, ours.pk, {"status": "done"}).status_code == 404
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.status == "todo" and ours.status == "todo"
    assert as_persona("owner").get(f"{API}/companies/{uuid.uuid4()}/action-plan").status_code == 404
