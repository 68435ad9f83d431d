"""The action plan kept in the database: built from answers and the latest scans, people's choices kept across
refreshes, items that disappear, and done items that a later scan confirms or reopens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smecyber.assessments.models import ActionItem, Assessment
from smecyber.assessments.plan_service import (
    ItemChangeError,
    company_profile,
    plan_inputs,
    refresh_plan,
    suggested_due_date,
    update_item,
)
from smecyber.assets.models import Domain
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.methodology.plan import merge_key_for_finding
from tests.assessments.plan_world import (
    DMARC_MISSING,
    DMARC_OK,
    HSTS_OK,
    HSTS_SHORT,
    add_scan,
    dmarc_question,
    dmarc_recommendation,
    submit_answers,
)
from tests.web import fixtures
from tests.web.world import World

world = fixtures.world


def items(world: World) -> dict[str, ActionItem]:
    return {i.key: i for i in ActionItem.objects.filter(company=world.company_a)}


def hsts_key() -> str:
    return merge_key_for_finding(load_questionnaire(), HSTS_SHORT[0])


def test_a_refresh_makes_one_item_per_problem_of_the_latest_scan(world: World) -> None:
    # The world's scan: DMARC missing (fail), HSTS max-age short (warn), certificate fine (pass).
    refresh_plan(world.company_a)
    active = ActionItem.objects.filter(company=world.company_a, active=True).order_by("rank")
    dmarc = dmarc_recommendation()
    assert {i.key for i in active} == {dmarc, hsts_key()}
    assert [i.rank for i in active] == [1, 2]
    first = active[0]
    assert first.key == dmarc  # a failed high-severity finding outranks a medium warning
    assert first.status == ActionItem.Status.TODO
    assert first.sources["findings"] == [["mail.dmarc.missing", "fail", "good.test"]]
    assert first.checked_by_scans is True
    assert first.owner == load_questionnaire().recommendations[dmarc].owner
    today = timezone.localdate()
    assert first.due_date == today + dt.timedelta(days=14)
    # The world's old item keyed by the DMARC finding is now part of the recommendation: no longer produced.
    assert ActionItem.objects.get(pk=world.action_item.pk).active is False


def test_suggested_due_dates_by_rank() -> None:
    today = dt.date(2026, 3, 2)
    assert [(suggested_due_date(r, today) - today).days for r in (1, 3, 4, 10, 11, 40)] == [14, 14, 30, 30, 90, 90]


def test_what_people_set_survives_a_refresh(world: World) -> None:
    refresh_plan(world.company_a)
    item = items(world)[hsts_key()]
    update_item(item, world.users["member"], status="doing", due_date=dt.date(2031, 5, 1), owner="sme",
                status_reason="Waiting for the web host")
    # A later scan that also fails DMARC in another way changes ranks and sources, not the human fields.
    rank_before = item.rank
    add_scan(world.domain, [DMARC_MISSING, HSTS_SHORT, ("dns.caa.missing", "fail", "critical")])
    refresh_plan(world.company_a)
    item.refresh_from_db()
    assert (item.status, item.due_date, item.owner, item.status_reason) == (
        "doing", dt.date(2031, 5, 1), "sme", "Waiting for the web host")
    assert item.updated_by == world.users["member"]
    assert item.active is True and item.rank == rank_before + 1  # the new critical problem comes first


def test_an_item_the_plan_no_longer_produces_becomes_inactive_and_a_done_one_stays_done(world: World) -> None:
    refresh_plan(world.company_a)
    dmarc, hsts = items(world)[dmarc_recommendation()], items(world)[hsts_key()]
    update_item(dmarc, world.users["owner"], status="done")
    add_scan(world.domain, [HSTS_OK, DMARC_OK])  # both fixed
    refresh_plan(world.company_a)
    dmarc.refresh_from_db()
    hsts.refresh_from_db()
    assert hsts.active is False and hsts.status == "todo"
    assert dmarc.active is False and dmarc.status == "done" and dmarc.done_at is not None
    # The problem comes back: the same row is active again, with what people had set.
    add_scan(world.domain, [HSTS_SHORT])
    refresh_plan(world.company_a)
    hsts.refresh_from_db()
    assert hsts.active is True and hsts.rank == 1


def test_a_dmarc_finding_and_a_weak_anti_spoofing_answer_are_one_item(world: World) -> None:
    question = dmarc_question()
    submit_answers(world.company_a, world.users["owner"], {question.id: "0"})
    refresh_plan(world.company_a)
    rec = dmarc_recommendation()
    active = [i for i in items(world).values() if i.active]
    with_the_finding = [i for i in active if any(f[0] == "mail.dmarc.missing" for f in i.sources["findings"])]
    assert [i.key for i in with_the_finding] == [rec]  # one item, not one per source
    item = with_the_finding[0]
    assert item.sources["questions"] == [[question.id, "0"]]
    assert item.sources["findings"] == [["mail.dmarc.missing", "fail", "good.test"]]
    assert item.severity in ("high", "critical")  # at least the finding's severity


def test_a_weak_answer_alone_makes_an_item_and_a_good_answer_removes_it(world: World) -> None:
    question = dmarc_question()
    add_scan(world.domain, [DMARC_OK, HSTS_OK])  # the scan finds nothing
    submit_answers(world.company_a, world.users["owner"], {question.id: "0"})
    refresh_plan(world.company_a)
    rec = dmarc_recommendation()
    assert items(world)[rec].active and items(world)[rec].sources["findings"] == []
    later = submit_answers(world.company_a, world.users["owner"], {question.id: "1"})
    Assessment.objects.filter(pk=later.pk).update(submitted_at=timezone.now() + dt.timedelta(seconds=1))
    refresh_plan(world.company_a)
    assert items(world)[rec].active is False


def test_without_a_submitted_assessment_the_company_fields_are_the_profile(world: World) -> None:
    Assessment.objects.filter(company=world.company_a).delete()
    world.company_a.size_band, world.company_a.sector, world.company_a.builds_software = "medium", "J", True
    world.company_a.save()
    profile, answers = plan_inputs(world.company_a)
    assert answers == {}
    assert profile == company_profile(world.company_a)
    assert (profile.country, profile.size_band, profile.sector, profile.builds_software) == ("SE", "medium", "J", True)


# --- confirmed or reopened by a later scan ------------------------------------------------------------------------

def _done_dmarc(world: World, *, ago: dt.timedelta = dt.timedelta(hours=1)) -> ActionItem:
    refresh_plan(world.company_a)
    item = items(world)[dmarc_recommendation()]
    update_item(item, world.users["owner"], status="done")
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() - ago)
    item.refresh_from_db()
    return item


def test_a_later_scan_still_failing_reopens_a_done_item(world: World) -> None:
    item = _done_dmarc(world)
    scan = add_scan(world.domain, [DMARC_MISSING, HSTS_OK])
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.TODO
    assert item.reopened_at is not None and item.done_at is None and item.confirmed_at is None
    assert "No DMARC record" in item.reopen_note and "good.test" in item.reopen_note


def test_a_later_scan_passing_confirms_a_done_item(world: World) -> None:
    item = _done_dmarc(world)
    scan = add_scan(world.domain, [DMARC_OK, HSTS_SHORT])
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert item.confirmed_at == scan.finished_at
    assert item.reopened_at is None
    assert item.active is False  # fixed: the plan no longer produces it, and it stays done


def test_a_scan_that_began_before_the_item_was_marked_done_does_not_reopen_it(world: World) -> None:
    item = _done_dmarc(world, ago=dt.timedelta(minutes=5))
    now = timezone.now()
    scan = add_scan(world.domain, [DMARC_MISSING], started=now - dt.timedelta(minutes=10), finished=now)
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.reopened_at is None


def test_a_passing_scan_that_finished_before_done_does_not_confirm(world: World) -> None:
    item = _done_dmarc(world, ago=dt.timedelta(minutes=5))
    now = timezone.now()
    scan = add_scan(world.domain, [DMARC_OK], started=now - dt.timedelta(minutes=20),
                    finished=now - dt.timedelta(minutes=10))
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.confirmed_at is None


def test_only_the_domains_latest_scan_confirms_or_reopens(world: World) -> None:
    item = _done_dmarc(world)
    failing = add_scan(world.domain, [DMARC_MISSING])
    add_scan(world.domain, [DMARC_OK])  # newer: the problem is gone
    refresh_plan(world.company_a, scan=failing)  # a late task about the older scan
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.reopened_at is None


def test_a_clean_scan_of_one_domain_does_not_confirm_while_another_domain_still_fails(world: World) -> None:
    second = Domain.objects.create(company=world.company_a, name="second.test", display_name="second.test")
    add_scan(second, [DMARC_MISSING], finished=timezone.now() - dt.timedelta(hours=2))  # before "done"
    item = _done_dmarc(world)
    scan = add_scan(world.domain, [DMARC_OK])
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.confirmed_at is None
    assert item.sources["findings"] == [["mail.dmarc.missing", "fail", "second.test"]]
    fixed = add_scan(second, [DMARC_OK])  # now both domains pass
    refresh_plan(world.company_a, scan=fixed)
    item.refresh_from_db()
    assert item.confirmed_at == fixed.finished_at and item.active is False


def test_a_done_item_no_check_covers_is_left_alone_by_a_failing_scan(world: World) -> None:
    question = next(qid for qid, question in load_questionnaire().questions.items()
                    if question.applies.empty and not any(
                        load_questionnaire().recommendations[r].findings for r in question.recommendations))
    submit_answers(world.company_a, world.users["owner"], {question: "0"})
    refresh_plan(world.company_a)
    answer_only = ActionItem.objects.get(company=world.company_a, checked_by_scans=False)
    update_item(answer_only, world.users["owner"], status="done")
    ActionItem.objects.filter(pk=answer_only.pk).update(done_at=timezone.now() - dt.timedelta(hours=1))
    scan = add_scan(world.domain, [DMARC_MISSING, HSTS_SHORT])
    refresh_plan(world.company_a, scan=scan)
    answer_only.refresh_from_db()
    assert answer_only.status == ActionItem.Status.DONE
    assert answer_only.reopened_at is None and answer_only.confirmed_at is None


def test_a_scan_without_a_verdict_on_the_item_leaves_it_alone(world: World) -> None:
    item = _done_dmarc(world)
    scan = add_scan(world.domain, [HSTS_SHORT, ("mail.dmarc.lookup_failed", "error", "none")])
    refresh_plan(world.company_a, scan=scan)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.confirmed_at is None and item.reopened_at is None


def test_a_refresh_is_idempotent(world: World) -> None:
    item = _done_dmarc(world)
    scan = add_scan(world.domain, [DMARC_OK])
    refresh_plan(world.company_a, scan=scan)
    before = {i.pk: (i.status, i.rank, i.active, i.confirmed_at, i.updated_at) for i in items(world).values()}
    refresh_plan(world.company_a, scan=scan)
    after = {i.pk: (i.status, i.rank, i.active, i.confirmed_at, i.updated_at) for i in items(world).values()}
    assert before == after
    assert ActionItem.objects.get(pk=item.pk).confirmed_at == scan.finished_at


# --- changes by people --------------------------------------------------------------------------------------------

def test_done_records_when_and_leaving_done_forgets_it(world: World) -> None:
    item = world.action_item
    update_item(item, world.users["owner"], status="done")
    assert item.done_at is not None
    item.confirmed_at = timezone.now()
    item.save()
    update_item(item, world.users["owner"], status="doing")
    item.refresh_from_db()
    assert item.status == "doing" and item.done_at is None and item.confirmed_at is None


def test_a_reason_with_a_null_character_is_refused(world: World) -> None:
    # PostgreSQL cannot store it: the API, which has no Django form field in front, would answer 500.
    with pytest.raises(ItemChangeError) as exc:
        update_item(world.action_item, world.users["owner"], status="accepted", status_reason="no\x00mail")
    assert set(exc.value.errors) == {"status_reason"}


def test_risk_accepted_needs_a_reason(world: World) -> None:
    item = world.action_item
    with pytest.raises(ItemChangeError) as exc:
        update_item(item, world.users["owner"], status="accepted", status_reason="   ")
    assert set(exc.value.errors) == {"status_reason"}
    item.refresh_from_db()
    assert item.status == "todo"
    update_item(item, world.users["owner"], status="accepted", status_reason="We send no email from this domain")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == ("accepted", "We send no email from this domain")


@pytest.mark.parametrize(("change", "field"), [
    ({"due_date": dt.date(1999, 12, 31)}, "due_date"),
    ({"status": "finished"}, "status"),
    ({"owner": "neighbour"}, "owner"),
])
def test_invalid_changes_are_refused(world: World, change: dict[str, object], field: str) -> None:
    with pytest.raises(ItemChangeError) as exc:
        update_item(world.action_item, world.users["owner"], **change)  # type: ignore[arg-type]
    assert set(exc.value.errors) == {field}
