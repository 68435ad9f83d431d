"""A finished scan refreshes the action plan through a Celery task sent after the scan's transaction commits."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from smecyber.assessments.models import ActionItem
from smecyber.assessments.plan_service import refresh_plan, update_item
from smecyber.assessments.tasks import refresh_action_plan
from smecyber.checks.model import DomainResult, Finding, Grade, Severity, Status
from smecyber.scans import runner
from smecyber.scans.models import Scan
from tests.assessments.plan_world import add_scan, dmarc_recommendation
from tests.web import fixtures
from tests.web.world import World

world = fixtures.world


def test_tests_run_celery_eagerly() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is True  # .delay() runs the task in the caller's thread


def _result(domain: str, dmarc: str) -> DomainResult:
    status = Status.FAIL if dmarc == "mail.dmarc.missing" else Status.PASS
    findings = [
        Finding(check="mail.dmarc", key=dmarc, status=status,
                severity=Severity.HIGH if status == Status.FAIL else Severity.NONE, score_group="mail",
                subject=domain),
        Finding(check="web.hsts", key="web.hsts.ok", status=Status.PASS, score_group="web_headers", subject=domain),
    ]
    return DomainResult(domain=domain, input_name=domain, findings=findings, grades={"overall": Grade(90, "A")},
                        duration_s=0.5)


def _finish(world: World, dmarc: str) -> Scan:
    """A scan of the world's domain through the runner's claim and finish, as a worker runs it."""
    scan = Scan.objects.create(domain=world.domain)
    attempt = runner.claim_scan(scan.pk)
    assert attempt == 1
    assert runner.finish_scan(scan.pk, attempt, _result(world.domain.name, dmarc)) is True
    scan.refresh_from_db()
    return scan


def test_finish_scan_refreshes_the_plan_after_commit(world: World, django_capture_on_commit_callbacks) -> None:
    assert not ActionItem.objects.filter(company=world.company_a, key=dmarc_recommendation()).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _finish(world, "mail.dmarc.missing")
    # Nothing is refreshed inside the scan's transaction: only once it commits.
    assert not ActionItem.objects.filter(company=world.company_a, key=dmarc_recommendation()).exists()
    for callback in callbacks:
        callback()
    item = ActionItem.objects.get(company=world.company_a, key=dmarc_recommendation())
    assert item.active and item.status == "todo" and item.rank == 1
    assert item.sources["findings"] == [["mail.dmarc.missing", "fail", "good.test"]]


def test_a_done_item_is_reopened_then_confirmed_by_scans_through_the_runner(
        world: World, django_capture_on_commit_callbacks) -> None:
    refresh_plan(world.company_a)  # from the world's scan: DMARC missing
    item = ActionItem.objects.get(company=world.company_a, key=dmarc_recommendation())
    update_item(item, world.users["owner"], status="done")
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        _finish(world, "mail.dmarc.missing")  # not fixed after all
    item.refresh_from_db()
    assert item.status == "todo" and item.reopened_at is not None and "No DMARC record" in item.reopen_note

    update_item(item, world.users["owner"], status="done")
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        scan = _finish(world, "mail.dmarc.policy_reject")  # fixed now
    item.refresh_from_db()
    assert item.status == "done" and item.confirmed_at == scan.finished_at


def test_the_task_is_a_no_op_for_a_missing_company_or_scan(world: World) -> None:
    assert refresh_action_plan(str(uuid.uuid4())) is False
    assert refresh_action_plan(str(world.company_a.id), str(uuid.uuid4())) is False
    # a scan of another company's domain is not this company's to act on
    other = add_scan(world.domain, [])
    assert refresh_action_plan(str(world.company_b.id), str(other.id)) is False
    assert not ActionItem.objects.filter(company=world.company_b).exists()
    assert refresh_action_plan(str(world.company_a.id), str(other.id)) is True
    assert refresh_action_plan(str(world.company_a.id)) is True  # and twice is fine
