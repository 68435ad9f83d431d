"""Alert emails after a scan: when they are sent, to whom (the SME's own people only), in which language."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from smecyber.catalog import load_catalog
from smecyber.scans.models import Scan
from smecyber.scans.tasks import send_scan_alerts
from tests.scans.world import World, make_domain, stored_scan

SPF_OK = ("mail.spf", "mail.spf.ok", "pass", "")
SPF_MISSING = ("mail.spf", "mail.spf.missing", "fail", "")
HSTS_MISSING = ("web.hsts", "web.hsts.missing", "fail", "")


def _cert(days: float, check: str = "tls.certificate", subject: str = "good.test:443") -> tuple:
    not_after = (timezone.now() + dt.timedelta(days=days)).isoformat()
    return (check, "tls.certificate.ok", "pass", subject, {"host": subject.split(":")[0], "not_after": not_after})


def _recipients() -> set[str]:
    return {address for m in mail.outbox for address in m.to}


def test_new_failure_mails_the_smes_people_in_their_language(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    stored_scan(domain, [SPF_OK, HSTS_MISSING], age_days=7)
    scan = stored_scan(domain, [SPF_MISSING, HSTS_MISSING])
    send_scan_alerts(str(scan.id))
    # owner and member; not the member who switched alerts off, not advisors, coordinators or SME B
    assert _recipients() == {"owner@a.test", "member@a.test"}
    assert len(mail.outbox) == 2  # one email per person for the scan
    by_person = {m.to[0]: m for m in mail.outbox}
    catalog = load_catalog()
    swedish = by_person["owner@a.test"].body
    english = by_person["member@a.test"].body
    assert catalog.entry("mail.spf.missing", "sv").title in swedish
    assert catalog.entry("mail.spf.missing", "en").title in english
    assert catalog.entry("web.hsts.missing", "en").title not in english  # it was already failing before
    assert f"http://127.0.0.1:8000/s/{scan.id}/" in english
    assert "good.test" in by_person["member@a.test"].subject


def test_a_dropped_grade_is_a_reason(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    stored_scan(domain, [SPF_OK], overall=(92, "A"), age_days=7)
    scan = stored_scan(domain, [SPF_OK], overall=(71, "B"))
    send_scan_alerts(str(scan.id))
    assert _recipients() == {"owner@a.test", "member@a.test"}
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "from A (92) to B (71)" in by_recipient["member@a.test"]  # the member reads English
    assert "från A (92) till B (71)" in by_recipient["owner@a.test"]  # the owner chose Swedish


def test_nothing_worse_no_mail(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    stored_scan(domain, [SPF_MISSING], overall=(70, "B"), age_days=7)
    scan = stored_scan(domain, [SPF_OK], overall=(90, "A"))  # better, not worse
    send_scan_alerts(str(scan.id))
    assert mail.outbox == []


def test_first_scan_alone_does_not_mail_its_failures(world: World) -> None:
    scan = stored_scan(make_domain(world.company, "good.test"), [SPF_MISSING], overall=(60, "C+"))
    send_scan_alerts(str(scan.id))
    assert mail.outbox == []


def test_certificates_expiring_within_21_days(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    web_soon = stored_scan(domain, [_cert(10)])
    send_scan_alerts(str(web_soon.id))
    assert _recipients() == {"owner@a.test", "member@a.test"}
    assert "good.test:443" in mail.outbox[0].body
    mail.outbox.clear()
    mail_soon = stored_scan(make_domain(world.company, "mail.test"), [_cert(20, "mail.starttls", "mail.mail.test")])
    send_scan_alerts(str(mail_soon.id))
    assert len(mail.outbox) == 2 and "mail.mail.test" in mail.outbox[0].body
    mail.outbox.clear()
    later = stored_scan(make_domain(world.company, "later.test"), [_cert(40)])
    send_scan_alerts(str(later.id))
    assert mail.outbox == []


def test_a_duplicate_task_sends_nothing_more(world: World) -> None:
    domain = make_domain(world.company, "good.test")
    stored_scan(domain, [SPF_OK], age_days=7)
    scan = stored_scan(domain, [SPF_MISSING])
    send_scan_alerts(str(scan.id))
    send_scan_alerts(str(scan.id))
    assert len(mail.outbox) == 2
    assert Scan.objects.get(pk=scan.pk).alerts_sent_at is not None


def test_never_another_smes_people(world: World) -> None:
    domain = make_domain(world.other_company, "b.test")
    stored_scan(domain, [SPF_OK], age_days=7)
    scan = stored_scan(domain, [SPF_MISSING])
    send_scan_alerts(str(scan.id))
    assert _recipients() == {"member@b.test"}
