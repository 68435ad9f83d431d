"""The action plan page, its per-item form and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.assessments.models import ActionItem
from smecyber.assessments.plan_service import refresh_plan, update_item
from smecyber.catalog.questionnaire import load_questionnaire
from tests.assessments.plan_world import add_scan, dmarc_question, dmarc_recommendation, submit_answers
from tests.web import fixtures
from tests.web.world import World

world = fixtures.world


def client_for(world: World, persona: str, lang: str = "en") -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world.users[persona])
    return client


def plan_url(world: World, **params: str) -> str:
    url = reverse("action_plan", args=[world.company_a.id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def update_url(world: World, item: ActionItem) -> str:
    return reverse("action_item_update", args=[world.company_a.id, item.pk])


@pytest.fixture
def planned(world: World) -> World:
    """A's plan from a weak anti-spoofing answer and the world's scan (DMARC missing, HSTS short)."""
    submit_answers(world.company_a, world.users["owner"], {dmarc_question().id: "0"})
    refresh_plan(world.company_a)
    return world


def dmarc_item(world: World) -> ActionItem:
    return ActionItem.objects.get(company=world.company_a, key=dmarc_recommendation())


def test_the_page_explains_each_item(planned: World) -> None:
    page = client_for(planned, "member").get(plan_url(planned))
    assert page.status_code == 200
    html = page.content.decode()
    q = load_questionnaire()
    rec = q.recommendations[dmarc_recommendation()].text("en")
    item = dmarc_item(planned)
    assert "Do these first" in html
    assert rec.title in html and rec.why in html
    assert f'id="item-{item.pk}"' in html
    first_step = rec.how.splitlines()[0].split(".", 1)[-1].strip()
    assert first_step in html  # the steps, as a numbered list
    question = dmarc_question()
    assert question.text("en").question in html  # "Your answer: ... to <question>"
    assert "Scan found: No DMARC record on good.test" in html
    assert "Priority 1" in html
    assert item.due_date is not None
    assert f'datetime="{item.due_date:%Y-%m-%d}"' in html
    assert f'action="{update_url(planned, item)}"' in html  # the SME's people get the form


def test_texts_follow_the_request_language(planned: World) -> None:
    html = client_for(planned, "member", lang="lv").get(plan_url(planned)).content.decode()
    rec = load_questionnaire().recommendations[dmarc_recommendation()]
    assert rec.text("lv").title in html


def test_top_ten_first_the_rest_folded_and_done_apart(planned: World) -> None:
    company = planned.company_a
    for n in range(12):
        ActionItem.objects.create(company=company, key=f"finding:test.extra{n}", rank=10 + n, priority=0.1)
    done = ActionItem.objects.create(company=company, key="finding:test.done", rank=2, status="done",
                                     done_at=timezone.now())
    html = client_for(planned, "owner").get(plan_url(planned)).content.decode()
    first, rest = html.split('<details class="plan-later">', 1)  # the rest is folded away
    later, closed = rest.split('id="closed-heading"', 1)
    open_items = ActionItem.objects.filter(company=company, active=True).exclude(status="done")
    assert first.count('class="plan-item') == 10
    assert later.count('class="plan-item') == open_items.count() - 10
    assert [f'id="item-{i.pk}"' in first for i in open_items.order_by("rank")[:10]] == [True] * 10
    assert f'id="item-{done.pk}"' in closed and f'id="item-{done.pk}"' not in first + later


def test_filters_by_owner_and_status(planned: World) -> None:
    item = dmarc_item(planned)
    others = ActionItem.objects.filter(company=planned.company_a, active=True).exclude(pk=item.pk)
    update_item(item, planned.users["owner"], status="doing", owner="web_host")
    client = client_for(planned, "owner")
    html = client.get(plan_url(planned, status="doing")).content.decode()
    assert f'id="item-{item.pk}"' in html
    assert all(f'id="item-{o.pk}"' not in html for o in others)
    html = client.get(plan_url(planned, owner="sme", status="doing")).content.decode()
    assert "No items match these filters." in html
    html = client.get(plan_url(planned, owner="nonsense")).content.decode()  # ignored, not an error
    assert f'id="item-{item.pk}"' in html


def test_empty_state_points_to_a_scan_and_the_self_assessment(world: World) -> None:
    ActionItem.objects.filter(company=world.company_a).delete()
    html = client_for(world, "owner").get(plan_url(world)).content.decode()
    assert "No plan yet: run a scan or fill in the self-assessment" in html
    assert reverse("domain_list", args=[world.company_a.id]) in html
    assert reverse("assessment_home", args=[world.company_a.id]) in html


def test_overdue_items_are_highlighted(planned: World) -> None:
    item = dmarc_item(planned)
    ActionItem.objects.filter(pk=item.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    html = client_for(planned, "owner").get(plan_url(planned)).content.decode()
    assert "plan-overdue" in html and "overdue</strong>" in html


def test_badges_for_confirmed_and_reopened_items(planned: World) -> None:
    item = dmarc_item(planned)
    update_item(item, planned.users["owner"], status="done")
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() - dt.timedelta(hours=1))
    refresh_plan(planned.company_a, scan=add_scan(planned.domain, [("mail.dmarc.missing", "fail", "high")]))
    html = client_for(planned, "owner").get(plan_url(planned)).content.decode()
    assert "reopened: the scan of" in html and "still found No DMARC record on good.test" in html
    update_item(dmarc_item(planned), planned.users["owner"], status="done")
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() - dt.timedelta(hours=1))
    refresh_plan(planned.company_a, scan=add_scan(planned.domain, [("mail.dmarc.policy_reject", "pass", "none")]))
    html = client_for(planned, "owner").get(plan_url(planned)).content.decode()
    assert "confirmed by the scan of" in html


# --- the form -----------------------------------------------------------------------------------------------------

def form(item: ActionItem, **changes: str) -> dict[str, str]:
    data = {"status": item.status, "status_reason": item.status_reason,
            "due_date": item.due_date.isoformat() if item.due_date else "", "owner": item.owner}
    data.update(changes)
    return data


def test_a_member_changes_status_due_date_and_owner(planned: World) -> None:
    item = dmarc_item(planned)
    response = client_for(planned, "member").post(update_url(planned, item),
                                                  form(item, status="done", due_date="2031-02-03", owner="sme"))
    assert response.status_code == 302
    assert response["Location"] == plan_url(planned) + f"#item-{item.pk}"
    item.refresh_from_db()
    assert (item.status, item.due_date, item.owner) == ("done", dt.date(2031, 2, 3), "sme")
    assert item.done_at is not None and item.updated_by == planned.users["member"]


def test_after_a_change_the_page_keeps_its_filters(planned: World) -> None:
    item = dmarc_item(planned)
    url = update_url(planned, item) + "?owner=it_provider&status=todo"
    response = client_for(planned, "owner").post(url, form(item, status="doing"))
    assert response["Location"] == plan_url(planned, owner="it_provider", status="todo") + f"#item-{item.pk}"


def test_an_error_in_a_folded_item_unfolds_it(planned: World) -> None:
    for n in range(12):
        ActionItem.objects.create(company=planned.company_a, key=f"finding:test.extra{n}", rank=10 + n)
    last = ActionItem.objects.get(company=planned.company_a, key="finding:test.extra11")
    response = client_for(planned, "owner").post(update_url(planned, last), form(last, due_date="1990-01-01"))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="plan-later" open>' in html
    assert html.index(f'id="item-{last.pk}"') > html.index('<details class="plan-later" open>')


@pytest.mark.parametrize(("changes", "message"), [
    ({"status": "accepted", "status_reason": ""}, "a reason is required"),
    ({"due_date": "1999-12-31"}, "between the years 2000 and 2100"),
    ({"due_date": "2031-02-30"}, "Enter a valid date"),
    ({"status": "finished"}, "Select a valid choice"),
    ({"owner": "nobody"}, "Select a valid choice"),
])
def test_invalid_changes_answer_400_with_the_reason(planned: World, changes: dict[str, str], message: str) -> None:
    item = dmarc_item(planned)
    before = (item.status, item.due_date, item.owner)
    response = client_for(planned, "owner").post(update_url(planned, item), form(item, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<details class="plan-edit" open>' in html  # the item's form is open with its errors
    item.refresh_from_db()
    assert (item.status, item.due_date, item.owner) == before


def test_risk_accepted_with_a_reason(planned: World) -> None:
    item = dmarc_item(planned)
    response = client_for(planned, "owner").post(
        update_url(planned, item), form(item, status="accepted", status_reason="No email is sent from this domain"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted"
    html = client_for(planned, "owner").get(plan_url(planned)).content.decode()
    assert "No email is sent from this domain" in html


def test_another_companys_item_is_404(planned: World) -> None:
    theirs = ActionItem.objects.create(company=planned.company_b, key="finding:mail.dmarc.missing")
    url = reverse("action_item_update", args=[planned.company_a.id, theirs.pk])
    assert client_for(planned, "owner").post(url, form(theirs, status="done")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "todo"


def test_an_advisor_reads_without_forms_and_is_audited(planned: World) -> None:
    html = client_for(planned, "advisor_with_consent").get(plan_url(planned)).content.decode()
    assert 'class="plan-item' in html and "plan-edit" not in html
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS, company=planned.company_a,
                                       actor=planned.users["advisor_with_consent"])
    assert events.count() == 1 and events.get().detail["page"] == "action_plan"
    client_for(planned, "member").get(plan_url(planned))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS, actor=planned.users["member"]).exists()
    item = dmarc_item(planned)
    assert client_for(planned, "advisor_with_consent").post(update_url(planned, item),
                                                            form(item, status="done")).status_code == 404


# --- CSV ----------------------------------------------------------------------------------------------------------

def test_csv_export(planned: World) -> None:
    item = dmarc_item(planned)
    update_item(item, planned.users["owner"], due_date=dt.date(2031, 1, 2))
    response = client_for(planned, "advisor_with_consent").get(reverse("action_plan_csv", args=[planned.company_a.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="smecyber-action-plan-alpha-ab-')
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Rank", "Title", "Status", "Due date", "Owner", "Effort", "Severity", "Where it came from"]
    rec = load_questionnaire().recommendations[dmarc_recommendation()]
    row = next(r for r in rows[1:] if r[1] == rec.text("en").title)
    assert row[0] == str(item.rank) and row[2] == "to do" and row[3] == "2031-01-02"
    assert row[4] == item.get_owner_display()
    assert "Scan found: No DMARC record on good.test" in row[7]
    assert f"to “{dmarc_question().text('en').question}”" in row[7]
    assert len(rows) == 1 + ActionItem.objects.filter(company=planned.company_a, active=True).count()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, company=planned.company_a)
    assert event.actor == planned.users["advisor_with_consent"]
    assert event.detail["what"] == "action_plan" and event.detail["format"] == "csv"


def test_csv_export_follows_the_filters(planned: World) -> None:
    item = dmarc_item(planned)
    update_item(item, planned.users["owner"], status="doing")
    url = reverse("action_plan_csv", args=[planned.company_a.id])
    response = client_for(planned, "owner").get(url + "?status=doing")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][2] == "doing"
