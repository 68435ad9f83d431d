"""Scans through real Celery workers on PostgreSQL and Redis: requested, killed mid-scan, swept in batches."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection

from smecyber.accounts.models import Company, Membership, Programme, SupportOrganisation, User
from smecyber.assets.models import Domain
from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan as engine_scan
from smecyber.scans.models import Batch, BatchEntry, Scan, ScanStatus
from smecyber.scans.services import request_scan, submit_batch
from smecyber.scans.tasks import reap_stale_scans
from tests.integration.workers import Worker, group_members, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.lab]

FINISHED = (ScanStatus.DONE, ScanStatus.FAILED)
FACT_KEYS = {"https", "hsts", "dmarc_policy", "spf", "dnssec", "mta_sts", "starttls", "cert_not_after", "fails",
             "warns"}


@dataclass
class Sme:
    owner: User
    company: Company
    programme: Programme

    def domain(self, name: str) -> Domain:
        return Domain.objects.create(company=self.company, name=name, display_name=name, added_by=self.owner)


@pytest.fixture
def sme(transactional_db: None) -> Sme:
    """Committed rows (the worker is another process): an SME in a programme, with its owner."""
    organisation = SupportOrganisation.objects.create(name="Integration Cluster", country="SE")
    programme = Programme.objects.create(organisation=organisation, name="Integration programme")
    owner = User.objects.create_user(email=f"owner-{uuid.uuid4().hex[:6]}@example.test", password=None)
    company = Company.objects.create(programme=programme, name="Integration AB", country="SE")
    Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
    return Sme(owner, company, programme)


def fresh(scan: Scan) -> Scan:
    return Scan.objects.get(pk=scan.pk)


def wait_finished(scan: Scan, timeout: float, *workers: Worker, between: Callable[[], object] | None = None) -> Scan:
    def finished() -> Scan | None:
        if between is not None:
            between()
        current = fresh(scan)
        return current if current.status in FINISHED else None

    return wait_until(finished, timeout, f"scan of {scan.domain.name} to finish", *workers, interval=0.5)


def identities(scan: Scan) -> Counter[tuple[str, str, str]]:
    return Counter(f.identity for f in scan.findings.all())


def test_database_is_postgresql(postgres_database: str) -> None:
    assert connection.vendor == "postgresql"
    assert postgres_database.endswith(connection.settings_dict["NAME"])


def test_a_requested_scan_is_run_by_a_worker(sme: Sme, start_worker: Callable[..., Worker]) -> None:
    worker = start_worker()
    scan = request_scan(sme.domain("good.test"), user=sme.owner)
    assert request_scan(scan.domain, user=sme.owner).pk == scan.pk  # no second scan while one waits

    scan = wait_finished(scan, 90, worker)
    assert scan.status == ScanStatus.DONE, scan.error
    assert scan.attempts == 1
    assert scan.worker.endswith(tuple(str(p) for p in group_members(worker.pgid)))  # ran in that worker
    assert scan.findings.count() > 10
    assert not scan.findings.filter(status="fail").exists()  # good.test is configured perfectly
    assert scan.grades["overall"]["letter"].startswith("A")
    assert set(scan.facts) >= FACT_KEYS
    assert scan.facts["https"] is True and scan.facts["dmarc_policy"] == "reject"
    assert max(identities(scan).values()) == 1


def test_a_scan_survives_kill_9_of_its_worker(sme: Sme, start_worker: Callable[..., Worker], lab: object,
                                              settings: object) -> None:
    """slow.test sends its body one byte a second, so a deep scan runs about 11 s: long enough to kill."""
    lease = {"SMECYBER_SCAN_LEASE_SECONDS": "5"}
    settings.SCAN_LEASE_SECONDS = 5  # type: ignore[attr-defined]
    reference: dict[str, Counter[tuple[str, str, str]]] = {}
    thread = threading.Thread(target=lambda: reference.update(slow=engine_identities(lab, "slow.test")))
    thread.start()  # the findings one clean scan gives, to compare with

    first = start_worker(**lease)
    scan = request_scan(sme.domain("slow.test"), user=sme.owner)
    wait_until(lambda: fresh(scan).status == ScanStatus.RUNNING and fresh(scan).checks_done > 0, 60,
               "the scan to start running", first)
    first.kill()
    assert group_members(first.pgid) == []
    assert fresh(scan).status == ScanStatus.RUNNING  # nobody told the database: only the lease can

    second = start_worker(**lease)
    scan = wait_finished(scan, 120, second, between=reap_stale_scans)
    thread.join(timeout=60)
    if scan.status == ScanStatus.FAILED:
        assert scan.error  # a reason a person can read
        assert not scan.findings.exists()
    else:
        assert scan.attempts >= 2  # the first attempt died with its worker; another one finished it
        assert identities(scan) == reference["slow"]  # exactly one set of findings, no duplicates
    assert fresh(scan).lease_until is None


def engine_identities(lab: object, name: str) -> Counter[tuple[str, str, str]]:
    config = ScanConfig.build([name], nameservers=[lab.nameserver], ca_file=lab.ca_file,  # type: ignore[attr-defined]
                              allow_loopback=True, depth="deep")
    results, _ = asyncio.run(engine_scan(config))
    return Counter((f.check, f.key, (f.subject or "")[:255]) for f in results[0].findings)


def test_a_batch_sweep_completes_with_aggregates(sme: Sme, start_worker: Callable[..., Worker], lab: object,
                                                 settings: object) -> None:
    from smecyber.reports.aggregates import programme_aggregates

    settings.AGGREGATE_MIN_GROUP = 5  # type: ignore[attr-defined]
    names = [s.domain for s in lab.domains if not s.hostile][:20]  # type: ignore[attr-defined]
    assert len(names) == 20
    worker = start_worker()
    batch = submit_batch(sme.programme, [*names, names[0].upper()], user=sme.owner, name="integration sweep")

    def finished() -> bool:
        return not BatchEntry.objects.filter(batch=batch).exclude(status__in=FINISHED).exists()

    wait_until(finished, 180, "the batch to finish", worker, interval=1)
    entries = BatchEntry.objects.filter(batch=batch)
    assert entries.count() == 20  # the duplicate was folded
    assert sorted(e.name for e in entries) == sorted(names)
    failed = {e.name: e.error for e in entries if e.status != ScanStatus.DONE}
    assert not failed
    assert all(set(e.facts) >= FACT_KEYS and "overall" in e.grades for e in entries)
    assert wait_until(lambda: Batch.objects.get(pk=batch.pk).finished_at, 10, "the batch's finished_at", worker)

    sweeps = programme_aggregates(sme.programme)["sweeps"]
    assert sweeps["domains"] == 20
    assert sweeps["grades"]["total"] == 20
    assert sweeps["at_a_or_b"]["total"] == 20
    assert sweeps["batches"][0]["name"] == "integration sweep"
