"""Batch sweeps: reading a coordinator's list, sweeping lab domains, and a results page with aggregates only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smecyber.scans.batch_input import parse_domain_list
from smecyber.scans.models import Batch, BatchEntry, ScanFinding, ScanStatus
from smecyber.scans.services import BatchInputError, submit_batch
from smecyber.scans.tasks import reap_stale_scans, sweep_chunk
from tests.scans.world import World

LAB_NAMES = ["good.test", "dmarc-none.test", "web-no-hsts.test", "mail-no-spf.test"]


def test_csv_with_header_columns_urls_and_duplicates() -> None:
    text = ("Domain,Company,Contact\n"
            "good.test,Good Ltd,x@y\n"
            "\n"
            "# a comment\n"
            "https://www.Example.test/about,Example,\n"
            '"bücher.test",Bücher,\n'
            "GOOD.test.,again,\n")
    parsed = parse_domain_list(text)
    assert parsed.names == ["good.test", "www.example.test", "xn--bcher-kva.test"]
    assert parsed.duplicates == 1
    assert parsed.errors == []


def test_each_bad_line_is_reported_with_its_number() -> None:
    parsed = parse_domain_list("good.test\n127.0.0.1\nnot a domain\nok.test\nlocalhost\n")
    assert [(e.line, e.text) for e in parsed.errors] == [(2, "127.0.0.1"), (3, "not a domain"), (5, "localhost")]
    assert "IP addresses" in parsed.errors[0].message
    assert parsed.names == ["good.test", "ok.test"]


def test_a_header_is_only_the_first_line() -> None:
    parsed = parse_domain_list("good.test\nwebsite\n")
    assert [e.line for e in parsed.errors] == [2]


def test_submit_refuses_bad_or_too_many_names(world: World) -> None:
    with pytest.raises(BatchInputError, match="not a valid domain"):
        submit_batch(world.programme, ["good.test", "http://"], user=world.coordinator, name="x")
    with pytest.raises(BatchInputError, match="at least one"):
        submit_batch(world.programme, [], user=world.coordinator, name="x")
    with pytest.raises(BatchInputError, match="at most 10,000"):
        submit_batch(world.programme, [f"d{i}.test" for i in range(10_001)], user=world.coordinator, name="x")
    assert not Batch.objects.exists()


def test_sweep_of_lab_domains_stores_grades_and_facts_only(world: World, lab_settings,
                                                           django_capture_on_commit_callbacks) -> None:
    lab_settings.SWEEP_CHUNK = 3  # two chunks: 3 + 1
    with django_capture_on_commit_callbacks(execute=True) as sent:
        batch = submit_batch(world.programme, [*LAB_NAMES, "GOOD.test"], user=world.coordinator, name="Spring")
    assert sum(cb.__qualname__.startswith("dispatch_sweep.") for cb in sent) == 2  # one task per chunk
    entries = {e.name: e for e in BatchEntry.objects.filter(batch=batch)}
    assert sorted(entries) == sorted(LAB_NAMES)
    assert all(e.status == ScanStatus.DONE and e.attempts == 1 for e in entries.values())
    good = entries["good.test"].facts
    assert (good["https"], good["hsts"], good["dmarc_policy"]) == (True, True, "reject")
    assert entries["dmarc-none.test"].facts["dmarc_policy"] == "none"
    assert entries["web-no-hsts.test"].facts["hsts"] is False
    assert entries["mail-no-spf.test"].facts["spf"] == "missing"
    assert entries["good.test"].grades["overall"]["letter"] == "A+"
    assert not ScanFinding.objects.exists()  # a sweep keeps no findings
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_a_duplicate_chunk_does_nothing(world: World, lab_settings, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch = submit_batch(world.programme, ["good.test"], user=world.coordinator, name="x")
    entry = BatchEntry.objects.get(batch=batch)
    assert sweep_chunk(str(batch.id), [entry.pk]) == {"claimed": 0, "done": 0, "failed": 0, "requeued": 0}
    entry.refresh_from_db()
    assert entry.attempts == 1


def test_batch_page_shows_aggregates_never_domain_names(world: World, lab_settings,
                                                        django_capture_on_commit_callbacks) -> None:
    lab_settings.AGGREGATE_MIN_GROUP = 3
    with django_capture_on_commit_callbacks(execute=True):
        batch = submit_batch(world.programme, LAB_NAMES, user=world.coordinator, name="Spring")
    html = world.client("coordinator").get(f"/b/{batch.id}/").content.decode()
    for name in LAB_NAMES:
        assert name.split(".")[0] not in html
    assert "4 of 4 domains checked" in html
    assert ">hidden<" in html  # small groups are not counted exactly
    # two of the four have a web site: too few for a share
    assert "hidden, so that no site can be singled out" in html
    assert "good" not in html and "hsts." not in html
    lab_settings.AGGREGATE_MIN_GROUP = 1  # every group shown exactly
    html = world.client("coordinator").get(f"/b/{batch.id}/").content.decode()
    # HTTPS: good.test and web-no-hsts.test both have it; "all of them" describes each one, so it stays hidden
    assert "100% of 2 sites" not in html
    assert "50% of 2 sites" in html  # HSTS: only good.test


@pytest.mark.parametrize("who", ["owner", "member", "advisor_with_consent", "other_sme", None])
def test_batch_pages_are_the_coordinators_only(world: World, who: str | None) -> None:
    batch = Batch.objects.create(programme=world.programme, name="x", submitted_by=world.coordinator)
    client = world.client(who)
    for url in (f"/p/{world.programme.id}/batches/", f"/p/{world.programme.id}/batches/new/", f"/b/{batch.id}/"):
        response = client.get(url)
        assert response.status_code == (302 if who is None else 404), url


def test_new_batch_form_lists_line_errors_and_starts_nothing(world: World) -> None:
    client = world.client("coordinator")
    response = client.post(f"/p/{world.programme.id}/batches/new/", {"name": "x", "names": "good.test\nbad name\n"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 line is not a domain name" in html
    assert "<code>bad name</code>" in html
    assert not Batch.objects.exists()


def test_new_batch_from_a_csv_upload(world: World, django_capture_on_commit_callbacks) -> None:
    upload = SimpleUploadedFile("list.csv", "domain\r\na.test\r\nb.test\r\n".encode("utf-8-sig"), "text/csv")
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks() as sent:  # the sweep itself is not run here
        response = client.post(f"/p/{world.programme.id}/batches/new/", {"name": "Members", "file": upload})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/b/{batch.id}/"
    assert sorted(batch.entries.values_list("name", flat=True)) == ["a.test", "b.test"]
    assert len(sent) == 1


def test_reaper_requeues_or_fails_stale_entries_and_closes_the_batch(world: World, settings,
                                                                     django_capture_on_commit_callbacks) -> None:
    settings.SCAN_MAX_ATTEMPTS = 2
    expired = timezone.now() - dt.timedelta(seconds=1)
    batch = Batch.objects.create(programme=world.programme, name="x")
    retry = BatchEntry.objects.create(batch=batch, name="a.test", status=ScanStatus.RUNNING, attempts=1,
                                      lease_until=expired)
    give_up = BatchEntry.objects.create(batch=batch, name="b.test", status=ScanStatus.RUNNING, attempts=2,
                                        lease_until=expired)
    with django_capture_on_commit_callbacks() as sent:
        counts = reap_stale_scans()
    assert (counts["requeued"], counts["failed"]) == (1, 1)
    retry.refresh_from_db()
    give_up.refresh_from_db()
    assert retry.status == ScanStatus.QUEUED and len(sent) == 1
    assert give_up.status == ScanStatus.FAILED and "tried 2 times" in give_up.error
    batch.refresh_from_db()
    assert batch.finished_at is None  # a.test still waits
    BatchEntry.objects.filter(pk=retry.pk).update(status=ScanStatus.DONE)
    reap_stale_scans()
    BatchEntry.objects.filter(pk=retry.pk).update(status=ScanStatus.RUNNING, lease_until=expired, attempts=2)
    reap_stale_scans()
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_a_stalled_batch_is_resent_a_busy_one_is_not(world: World, django_capture_on_commit_callbacks) -> None:
    old = timezone.now() - dt.timedelta(minutes=30)
    stalled = Batch.objects.create(programme=world.programme, name="stalled")
    BatchEntry.objects.create(batch=stalled, name="a.test", dispatched_at=old)
    busy = Batch.objects.create(programme=world.programme, name="busy")
    BatchEntry.objects.create(batch=busy, name="b.test", dispatched_at=old)
    BatchEntry.objects.create(batch=busy, name="c.test", status=ScanStatus.DONE, finished_at=timezone.now())
    with django_capture_on_commit_callbacks() as sent:
        assert reap_stale_scans()["resent"] == 1
    assert len(sent) == 1
    assert BatchEntry.objects.get(name="a.test").dispatched_at > old
    assert BatchEntry.objects.get(name="b.test").dispatched_at == old
