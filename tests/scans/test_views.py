"""The domain and scan pages: who may open them, what they show, and the actions on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.assets.models import Domain
from smecyber.catalog import load_catalog
from smecyber.scans.models import Scan
from smecyber.scans.queries import diff, latest_done_scan, previous_done_scan
from tests.scans.world import World, make_domain, stored_scan

ALLOWED = ["owner", "member", "advisor_with_consent"]
REFUSED = ["advisor_without_consent", "other_sme", "coordinator"]
HSTS_FAIL = ("web.hsts", "web.hsts.missing", "fail", "", {"headers": []})
SPF_WEAK = ("mail.spf", "mail.spf.softfail_all", "warn", "", {"all": "~"})
SPF_OK = ("mail.spf", "mail.spf.ok", "pass", "", {"all": "-"})
DMARC_MISSING = ("mail.dmarc", "mail.dmarc.missing", "fail", "", {})
CAA_MISSING = ("dns.caa", "dns.caa.missing", "warn", "", {})


@pytest.fixture
def scanned(world: World) -> tuple[Domain, Scan, Scan]:
    domain = make_domain(world.company, "good.test")
    old = stored_scan(domain, [HSTS_FAIL, SPF_WEAK, CAA_MISSING], overall=(80, "B+"), age_days=7)
    new = stored_scan(domain, [SPF_WEAK, DMARC_MISSING, ("web.hsts", "web.hsts.ok", "pass", "")], overall=(75, "B"))
    return domain, old, new


def _urls(domain: Domain, scan: Scan, world: World) -> list[str]:
    return [f"/c/{world.company.id}/domains/", f"/d/{domain.id}/", f"/s/{scan.id}/", f"/s/{scan.id}/progress/"]


@pytest.mark.parametrize("who", ALLOWED)
def test_the_smes_people_and_its_advisor_see_the_pages(world: World, scanned, who: str) -> None:
    domain, _old, new = scanned
    client = world.client(who)
    for url in _urls(domain, new, world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_gets_404(world: World, scanned, who: str) -> None:
    domain, _old, new = scanned
    client = world.client(who)
    for url in _urls(domain, new, world):
        assert client.get(url).status_code == 404, url
    for url in (f"/d/{domain.id}/scan/", f"/d/{domain.id}/remove/", f"/d/{domain.id}/schedule/"):
        assert client.post(url, {"schedule": "off"}).status_code == 404, url
    assert Domain.objects.filter(pk=domain.pk).exists()


def test_anonymous_is_sent_to_log_in(world: World, scanned) -> None:
    _domain, _old, new = scanned
    response = world.client(None).get(f"/s/{new.id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_sees_results_once_the_sme_shares(world: World, scanned) -> None:
    domain, _old, new = scanned
    world.company.shared_with_programme_at = timezone.now()
    world.company.save()
    assert world.client("coordinator").get(f"/s/{new.id}/").status_code == 200
    assert world.client("coordinator").post(f"/d/{domain.id}/scan/").status_code == 404  # seeing is not acting


def test_outside_viewers_are_logged_own_people_are_not(world: World, scanned) -> None:
    domain, _old, new = scanned
    world.client("owner").get(f"/s/{new.id}/")
    world.client("member").get(f"/d/{domain.id}/")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS).exists()
    advisor = world.client("advisor_with_consent")
    advisor.get(f"/s/{new.id}/")
    advisor.get(f"/s/{new.id}/")  # the same look again shortly after: one line in the log
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS)
    assert [(e.actor, e.company, e.target) for e in events] == [(world.advisor_with_consent, world.company,
                                                                 str(new.id))]


def test_diff_new_fixed_unchanged(scanned) -> None:
    domain, old, new = scanned
    assert latest_done_scan(domain) == new and previous_done_scan(new) == old and previous_done_scan(old) is None
    d = diff(old, new)
    assert [f.key for f in d.new] == ["mail.dmarc.missing"]
    assert sorted(f.key for f in d.fixed) == ["dns.caa.missing", "web.hsts.missing"]
    assert [f.key for f in d.unchanged] == ["mail.spf.softfail_all"]
    assert [f.key for f in diff(None, old).new] == ["dns.caa.missing", "mail.spf.softfail_all", "web.hsts.missing"]


def test_a_check_that_could_not_run_fixes_nothing(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    old = stored_scan(domain, [HSTS_FAIL], age_days=1)
    new = stored_scan(domain, [("web.hsts", "engine.check_error", "error", "")])
    assert diff(old, new).fixed == []


def test_domain_page_shows_history_and_changes(world: World, scanned) -> None:
    domain, old, new = scanned
    html = world.client("member").get(f"/d/{domain.id}/").content.decode()
    catalog = load_catalog()
    changes = html.split('id="changes-heading"')[1].split('id="history-heading"')[0]
    new_part, fixed_part, open_part = (changes.split('id="diff-fixed"')[0], changes.split('id="diff-fixed"')[1]
                                       .split('id="diff-unchanged"')[0], changes.split('id="diff-unchanged"')[1])
    assert catalog.entry("mail.dmarc.missing", "en").title in new_part
    assert catalog.entry("web.hsts.missing", "en").title in fixed_part
    assert catalog.entry("mail.spf.softfail_all", "en").title in open_part
    history = html.split('id="history-heading"')[1]
    assert f"/s/{new.id}/" in history and f"/s/{old.id}/" in history
    assert "<td>1</td><td>2</td>" in history  # the new scan: 1 new problem, 2 fixed
    assert "first scan" in history


def test_scan_page_in_the_readers_language_problems_first(world: World, scanned) -> None:
    _domain, _old, new = scanned
    client = world.client("owner")
    html = client.get(f"/s/{new.id}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    catalog = load_catalog()
    entry = catalog.entry("mail.dmarc.missing", "sv")
    assert entry.title in html and entry.why in html
    assert catalog.entry("mail.dmarc.missing", "en").title not in html
    mail_part = html.split('id="group-mail"')[1]
    assert mail_part.index(entry.title) < mail_part.index(catalog.entry("mail.spf.softfail_all", "sv").title)
    assert "<details>" in html and "&quot;all&quot;: &quot;~&quot;" in html  # evidence, folded
    assert 'class="grade grade-B">B</span>' in html


def test_scan_request_starts_one_scan_and_shows_it(world: World, django_capture_on_commit_callbacks) -> None:
    domain = make_domain(world.company, "good.test")
    client = world.client("member")
    assert client.get(f"/d/{domain.id}/scan/").status_code == 405
    with django_capture_on_commit_callbacks() as sent:
        response = client.post(f"/d/{domain.id}/scan/")
        again = client.post(f"/d/{domain.id}/scan/")
    scan = Scan.objects.get(domain=domain)
    assert response["Location"] == again["Location"] == f"/s/{scan.id}/"
    assert sum(cb.__qualname__.startswith("dispatch_scan.") for cb in sent) == 1  # one run_scan sent
    assert world.client("advisor_with_consent").post(f"/d/{domain.id}/scan/").status_code == 404


def test_schedule_and_remove(world: World, scanned, settings) -> None:
    domain, _old, _new = scanned
    client = world.client("member")
    client.post(f"/d/{domain.id}/schedule/", {"schedule": "monthly"})
    domain.refresh_from_db()
    assert domain.schedule == "monthly"
    assert abs(domain.next_scan_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    client.post(f"/d/{domain.id}/schedule/", {"schedule": "off"})
    domain.refresh_from_db()
    assert (domain.schedule, domain.next_scan_at) == ("off", None)
    response = client.post(f"/d/{domain.id}/remove/")
    assert response["Location"] == f"/c/{world.company.id}/domains/"
    assert not Domain.objects.filter(pk=domain.pk).exists() and not Scan.objects.filter(domain_id=domain.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_REMOVED)
    assert (event.actor, event.target) == (world.member, "good.test")


def test_domain_list_shows_state_grades_and_schedule(world: World, scanned) -> None:
    make_domain(world.company, "xn--bcher-kva.test", display_name="bücher.test", verified_at=timezone.now())
    make_domain(world.other_company, "other-sme.test")
    html = world.client("member").get(f"/c/{world.company.id}/domains/").content.decode()
    assert "bücher.test" in html and "not verified" in html and ">verified<" in html
    assert 'class="grade grade-B">B</span>' in html
    assert "every week" in html and "not scanned yet" in html
    assert "other-sme.test" not in html  # nothing of SME B
