"""A scan from request to stored results, with the real engine against the lab, and the rules that keep one
result set per scan however tasks are retried, duplicated or lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.assets.models import Domain
from smecyber.checks.model import DomainResult, Finding, Grade, Status
from smecyber.scans import runner
from smecyber.scans.models import Scan, ScanFinding, ScanStatus
from smecyber.scans.services import request_scan
from smecyber.scans.tasks import reap_stale_scans, run_scan, schedule_due_scans
from tests.scans.world import World, make_domain


def test_scan_of_good_test_stores_findings_grades_and_facts(world: World, lab_settings,
                                                            django_capture_on_commit_callbacks) -> None:
    domain = make_domain(world.company, "good.test")
    with django_capture_on_commit_callbacks(execute=True):
        scan = request_scan(domain, user=world.member)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.DONE, scan.error
    assert scan.attempts == 1 and scan.lease_until is None and scan.finished_at is not None
    assert scan.checks_total > 0 and scan.checks_done == scan.checks_total
    assert scan.grades["overall"]["letter"] == "A+"
    assert scan.grades["web_headers"]["score"] == 135
    assert scan.facts["https"] is True
    assert scan.facts["hsts"] is True
    assert scan.facts["dmarc_policy"] == "reject"
    assert scan.facts["spf"] == "ok" and scan.facts["dnssec"] is True and scan.facts["starttls"] is True
    assert scan.facts["fails"] == 0
    assert dt.datetime.fromisoformat(scan.facts["cert_not_after"]) > timezone.now()
    keys = set(scan.findings.values_list("key", flat=True))
    assert {"web.https.ok", "mail.dmarc.policy_reject", "tls.certificate.ok", "mail.starttls.ok"} <= keys
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SCAN_REQUESTED, actor=world.member).count() == 1


def test_a_second_request_while_one_waits_returns_the_same_scan(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    first = request_scan(domain, user=world.owner)  # not committed in this test: stays queued
    assert request_scan(domain, user=world.member) == first
    assert Scan.objects.filter(domain=domain).count() == 1


def test_progress_fragment_and_refresh_when_done(world: World, lab_settings,
                                                 django_capture_on_commit_callbacks) -> None:
    domain = make_domain(world.company, "good.test")
    scan = request_scan(domain, user=world.owner)
    client = world.client("member")
    page = client.get(f"/s/{scan.id}/").content.decode()
    assert f'hx-get="/s/{scan.id}/progress/"' in page and 'hx-trigger="every 2s"' in page
    assert "<noscript>" in page
    fragment = client.get(f"/s/{scan.id}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment.headers
    assert 'aria-label="Scan progress"' in fragment.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run_scan(str(scan.id))  # as the worker would
    done = client.get(f"/s/{scan.id}/progress/", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-get" not in done.content.decode()  # the finished fragment stops polling


def _scan_dispatches(callbacks: list) -> int:
    """How many run_scan tasks were sent on commit (other on-commit work, e.g. cache renewal, not counted)."""
    return sum(cb.__qualname__.startswith("dispatch_scan.") for cb in callbacks)


# --- claim and finish -------------------------------------------------------------------------------------

def _result(domain: str) -> DomainResult:
    finding = Finding(check="web.https", key="web.https.ok", status=Status.PASS, score_group="web")
    return DomainResult(domain=domain, input_name=domain, findings=[finding],
                        grades={"overall": Grade(100, "A+")}, duration_s=0.5)


def _expire(scan: Scan) -> None:
    Scan.objects.filter(pk=scan.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_a_stale_attempts_finish_is_discarded(world: World, django_capture_on_commit_callbacks) -> None:
    scan = Scan.objects.create(domain=make_domain(world.company, "good.test"))
    first = runner.claim_scan(scan.pk)
    assert first == 1
    assert runner.claim_scan(scan.pk) is None  # its lease is live: nobody else may take it
    _expire(scan)  # the first worker went silent...
    second = runner.claim_scan(scan.pk)  # ...and another took over
    assert second == 2
    assert runner.renew(scan.pk, first, 5) is False  # the old attempt learns it lost the scan
    assert runner.finish_scan(scan.pk, first, _result("good.test")) is False
    assert not ScanFinding.objects.filter(scan=scan).exists()
    with django_capture_on_commit_callbacks():
        assert runner.finish_scan(scan.pk, second, _result("good.test")) is True
    scan.refresh_from_db()
    assert scan.status == ScanStatus.DONE and ScanFinding.objects.filter(scan=scan).count() == 1
    assert runner.finish_scan(scan.pk, second, _result("good.test")) is False  # and only once


def test_duplicate_run_scan_does_nothing(world: World, lab_settings, django_capture_on_commit_callbacks) -> None:
    domain = make_domain(world.company, "good.test")
    running = Scan.objects.create(domain=domain, status=ScanStatus.RUNNING, attempts=1,
                                  lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert run_scan(str(running.pk)) == "not claimed"  # someone else holds the lease
    running.refresh_from_db()
    assert (running.status, running.attempts) == (ScanStatus.RUNNING, 1)
    Scan.objects.filter(pk=running.pk).update(status=ScanStatus.DONE)
    count = ScanFinding.objects.count()
    assert run_scan(str(running.pk)) == "not claimed"  # a late duplicate of a finished scan
    assert ScanFinding.objects.count() == count
    assert run_scan("00000000-0000-0000-0000-000000000000") == "not claimed"


def test_reaper_requeues_an_expired_lease(world: World, lab_settings, django_capture_on_commit_callbacks) -> None:
    scan = Scan.objects.create(domain=make_domain(world.company, "good.test"))
    runner.claim_scan(scan.pk)
    _expire(scan)  # the worker died mid-scan
    with django_capture_on_commit_callbacks() as sent:
        counts = reap_stale_scans()
    assert counts["requeued"] == 1
    scan.refresh_from_db()
    assert scan.status == ScanStatus.QUEUED and scan.lease_until is None
    assert _scan_dispatches(sent) == 1  # run_scan re-sent after commit
    sent[0]()  # the worker gets it (eager): attempt 2 runs the real scan
    scan.refresh_from_db()
    assert (scan.status, scan.attempts) == (ScanStatus.DONE, 2)


def test_reaper_fails_after_max_attempts_with_the_reason(world: World, settings) -> None:
    settings.SCAN_MAX_ATTEMPTS = 3
    scan = Scan.objects.create(domain=make_domain(world.company, "good.test"), status=ScanStatus.RUNNING,
                               attempts=3, lease_until=timezone.now() - dt.timedelta(seconds=5))
    assert reap_stale_scans()["failed"] == 1
    scan.refresh_from_db()
    assert scan.status == ScanStatus.FAILED
    assert scan.error == "the worker stopped while scanning (tried 3 times)"
    assert scan.finished_at is not None


def test_reaper_resends_a_scan_queued_too_long(world: World, lab_settings) -> None:
    old = timezone.now() - dt.timedelta(minutes=11)
    lost = Scan.objects.create(domain=make_domain(world.company, "good.test"), created_at=old, dispatched_at=old)
    fresh = Scan.objects.create(domain=make_domain(world.company, "dmarc-none.test"))
    assert reap_stale_scans()["resent"] == 1  # eager: the re-sent message runs now
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ScanStatus.DONE
    assert fresh.status == ScanStatus.QUEUED  # its message may still be on its way


def test_engine_crash_retries_then_fails(world: World, lab_settings, tmp_path,
                                         django_capture_on_commit_callbacks) -> None:
    lab_settings.SCAN_MAX_ATTEMPTS = 2
    lab_settings.SCAN_CA_FILE = str(tmp_path / "missing.pem")  # the scanner cannot start
    domain = make_domain(world.company, "good.test")
    with django_capture_on_commit_callbacks(execute=True):
        scan = request_scan(domain, user=world.owner)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.FAILED and scan.attempts == 2
    assert "not configured correctly" in scan.error and "(tried 2 times)" in scan.error
    assert not scan.findings.exists()


# --- the schedule ----------------------------------------------------------------------------------------

def test_schedule_due_scans(world: World, settings, django_capture_on_commit_callbacks) -> None:
    settings.SCAN_SCHEDULE_DAYS = 7
    now = timezone.now()
    due_weekly = make_domain(world.company, "a.test", schedule=Domain.Schedule.WEEKLY,
                             next_scan_at=now - dt.timedelta(minutes=1))
    due_monthly = make_domain(world.company, "b.test", schedule=Domain.Schedule.MONTHLY,
                              next_scan_at=now - dt.timedelta(days=1))
    later = make_domain(world.company, "c.test", schedule=Domain.Schedule.WEEKLY,
                        next_scan_at=now + dt.timedelta(days=1))
    off = make_domain(world.company, "d.test", schedule=Domain.Schedule.OFF, next_scan_at=now - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks() as sent:
        assert schedule_due_scans() == 2
    assert _scan_dispatches(sent) == 2
    for domain, days in ((due_weekly, 7), (due_monthly, 30)):
        domain.refresh_from_db()
        scan = Scan.objects.get(domain=domain)
        assert (scan.trigger, scan.status, scan.requested_by) == (Scan.Trigger.SCHEDULED, ScanStatus.QUEUED, None)
        assert abs(domain.next_scan_at - (now + dt.timedelta(days=days))) < dt.timedelta(minutes=1)
    assert not Scan.objects.filter(domain__in=[later, off]).exists()
    assert schedule_due_scans() == 0  # nothing due any more


@pytest.mark.parametrize("status", [ScanStatus.QUEUED, ScanStatus.RUNNING])
def test_schedule_does_not_double_an_active_scan(world: World, status: str) -> None:
    domain = make_domain(world.company, "a.test", next_scan_at=timezone.now() - dt.timedelta(minutes=1))
    active = Scan.objects.create(domain=domain, status=status, lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert schedule_due_scans() == 1
    assert list(Scan.objects.filter(domain=domain)) == [active]
