"""The SME dashboard: its own grades and top fixes, nothing of another SME, and who may open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AdvisorConsent, AuditEvent, Membership, Programme
from smecyber.catalog import load_catalog
from smecyber.scans.models import ScanStatus
from tests.web.world import make_user

from .factories import (
    client_for,
    make_company,
    make_coordinator,
    make_domain,
    make_programme,
    make_scan,
    owner_of,
)

pytestmark = pytest.mark.django_db

ALPHA_FINDINGS = [
    ("mail.dmarc.missing", "fail", "high"),  # effort low: the first fix
    ("web.hsts.missing", "warn", "medium"),
    ("dns.dnssec.insecure", "warn", "low"),
    ("web.https.ok", "pass", "none"),  # a pass is never a fix
]


def title(key: str, lang: str = "en") -> str:
    return load_catalog().entry(key, lang).title


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def alpha(programme):  # type: ignore[no-untyped-def]
    """SME Alpha: two domains, both scanned; an older scan of alpha.test gives the trend two points."""
    company = make_company(programme, "Alpha AB", owner_email="owner@alpha.test")
    one, two = make_domain(company, "alpha.test"), make_domain(company, "alpha-shop.test")
    make_scan(one, overall=40, when=timezone.now() - timedelta(days=60), findings=[("tls.certificate.expired",
                                                                                     "fail", "critical")])
    make_scan(one, overall=72, mail=55, findings=ALPHA_FINDINGS)
    make_scan(two, overall=91, findings=[("mail.dmarc.missing", "fail", "high")])
    return company


@pytest.fixture
def beta(programme):  # type: ignore[no-untyped-def]
    company = make_company(programme, "Beta SIA", owner_email="owner@beta.test")
    make_scan(make_domain(company, "beta-secret.test"), overall=12, findings=[("mail.spf.softfail_all", "warn",
                                                                               "medium")])
    return company


def dashboard(company) -> str:  # type: ignore[no-untyped-def]
    return reverse("company_dashboard", kwargs={"company_id": company.id})


def test_owner_sees_latest_grades_per_domain_with_links(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    response = client_for(owner_of(alpha)).get(dashboard(alpha))
    assert response.status_code == 200
    html = response.content.decode()
    latest = alpha.domains.get(name="alpha.test").scans.order_by("-created_at").first()
    assert reverse("scan_detail", kwargs={"scan_id": latest.id}) in html
    assert reverse("domain_detail", kwargs={"domain_id": latest.domain_id}) in html
    # the latest scan's letters and scores (72 → B, mail 55 → C), not the older scan's 40
    assert '<span class="grade grade-B">B</span> <span class="score">72</span>' in html
    assert '<span class="grade grade-C">C</span> <span class="score">55</span>' in html
    assert '<span class="grade grade-A">A</span> <span class="score">91</span>' in html
    assert '<span class="score">40</span>' not in html
    # nothing of another SME
    assert "Beta SIA" not in html and "beta-secret.test" not in html
    assert title("mail.spf.softfail_all") not in html


def test_top_fixes_ranked_across_domains_with_why_how_and_effort(alpha) -> None:  # type: ignore[no-untyped-def]
    html = client_for(owner_of(alpha)).get(dashboard(alpha)).content.decode()
    fixes = html[html.index('class="fix-list"'):]
    entry = load_catalog().entry("mail.dmarc.missing", "en")
    # the failing, high-severity, low-effort DMARC fix comes first and names both affected domains
    first = fixes[:fixes.index("</li>")]
    assert entry.title in first
    assert "alpha-shop.test, alpha.test" in first
    assert entry.why.split(".")[0] in first and entry.how.split(".")[0] in first
    assert "Low (under an hour)" in first
    assert fixes.index(title("web.hsts.missing")) < fixes.index(title("dns.dnssec.insecure"))
    # a pass is not a fix, and a problem only an older scan had is gone
    assert title("web.https.ok") not in html
    assert title("tls.certificate.expired") not in html


def test_dashboard_speaks_the_readers_language(alpha) -> None:  # type: ignore[no-untyped-def]
    client = client_for(owner_of(alpha))
    html = client.get(dashboard(alpha), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert title("mail.dmarc.missing", "sv") in html
    assert load_catalog().entry("mail.dmarc.missing", "sv").why.split(".")[0] in html
    assert "Viktigaste åtgärderna" in html  # "Top fixes" from the catalog's UI strings
    assert title("mail.dmarc.missing", "en") not in html


def test_trend_chart_and_its_table_show_each_scan(alpha) -> None:  # type: ignore[no-untyped-def]
    html = client_for(owner_of(alpha)).get(dashboard(alpha)).content.decode()
    assert 'role="img"' in html and 'aria-labelledby="trend-title trend-desc"' in html
    table = html[html.index('data-chart="trend"'):]
    table = table[:table.index("</table>")]
    for score in ("40", "72", "91"):
        assert f"<td>{score}</td>" in table


def test_recent_scan_history_lists_scans_with_links(alpha) -> None:  # type: ignore[no-untyped-def]
    running = make_scan(alpha.domains.get(name="alpha.test"), overall=None, status=ScanStatus.RUNNING)
    html = client_for(owner_of(alpha)).get(dashboard(alpha)).content.decode()
    assert html.count(reverse("scan_detail", kwargs={"scan_id": running.id})) >= 2  # history and domain row
    assert "Recent scans" in html


def test_member_sees_the_dashboard_but_no_audit_event(alpha) -> None:  # type: ignore[no-untyped-def]
    member = make_user("member@alpha.test")
    Membership.objects.create(user=member, company=alpha, role=Membership.Role.MEMBER)
    assert client_for(member).get(dashboard(alpha)).status_code == 200
    assert not AuditEvent.objects.filter(company=alpha, action=AuditEvent.Action.VIEW_RESULTS).exists()


def test_advisor_needs_an_active_consent_and_is_audited(alpha) -> None:  # type: ignore[no-untyped-def]
    advisor = make_user("advisor@example.test")
    client = client_for(advisor)
    assert client.get(dashboard(alpha)).status_code == 404
    consent = AdvisorConsent.objects.create(company=alpha, advisor=advisor, granted_by=owner_of(alpha))
    assert client.get(dashboard(alpha)).status_code == 200
    event = AuditEvent.objects.get(company=alpha, action=AuditEvent.Action.VIEW_RESULTS)
    assert event.actor == advisor
    consent.revoked_at = timezone.now()
    consent.save()
    assert client.get(dashboard(alpha)).status_code == 404


def test_coordinator_sees_the_dashboard_only_while_shared(programme, alpha) -> None:  # type: ignore[no-untyped-def]
    coordinator = make_coordinator(programme)
    client = client_for(coordinator)
    assert client.get(dashboard(alpha)).status_code == 404
    alpha.shared_with_programme_at = timezone.now()
    alpha.save()
    assert client.get(dashboard(alpha)).status_code == 200
    assert AuditEvent.objects.filter(company=alpha, action=AuditEvent.Action.VIEW_RESULTS, actor=coordinator).exists()
    other_coordinator = make_coordinator(make_programme("Programme Q"), "q@example.test")
    assert client_for(other_coordinator).get(dashboard(alpha)).status_code == 404


def test_other_sme_gets_404_and_anonymous_is_sent_to_log_in(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    assert client_for(owner_of(beta)).get(dashboard(alpha)).status_code == 404
    response = client_for(None).get(dashboard(alpha))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("setup", "expected_step", "link_name"),
    [
        ("nothing", "Add your first domain", "domain_add"),
        ("unverified", "Verify your domain", "domain_detail"),
        ("verified", "Scan your domain", "domain_detail"),
    ],
)
def test_empty_state_says_what_to_do_next(programme, setup, expected_step, link_name) -> None:  # type: ignore[no-untyped-def]
    company = make_company(programme, "New AB", owner_email="owner@new.test")
    kwargs = {"company_id": company.id}
    if setup != "nothing":
        domain = make_domain(company, "new.test", verified=setup == "verified")
        kwargs = {"domain_id": domain.id}
    html = client_for(owner_of(company)).get(dashboard(company)).content.decode()
    assert "Get your first results in three steps" in html
    current = html[html.index('aria-current="step"'):]
    current = current[:current.index("</li>")]
    assert expected_step in current
    assert reverse(link_name, kwargs=kwargs) in current


def test_empty_state_for_an_advisor_does_not_offer_actions(programme) -> None:  # type: ignore[no-untyped-def]
    company = make_company(programme, "New AB", owner_email="owner@new.test")
    advisor = make_user("advisor@example.test")
    AdvisorConsent.objects.create(company=company, advisor=advisor, granted_by=owner_of(company))
    html = client_for(advisor).get(dashboard(company)).content.decode()
    assert "has no scan results yet" in html
    assert reverse("domain_add", kwargs={"company_id": company.id}) not in html


def test_query_count_does_not_grow_with_domains(programme) -> None:  # type: ignore[no-untyped-def]
    company = make_company(programme, "Many AB", owner_email="owner@many.test")
    client = client_for(owner_of(company))

    def queries_with(n: int) -> int:
        for i in range(company.domains.count(), n):
            domain = make_domain(company, f"d{i}.test")
            make_scan(domain, overall=50 + i, when=timezone.now() - timedelta(days=30), findings=ALPHA_FINDINGS)
            make_scan(domain, overall=60 + i, findings=ALPHA_FINDINGS)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard(company)).status_code == 200
        return len(ctx.captured_queries)

    client.get(dashboard(company))  # the session's two-factor decision is kept from here on
    assert queries_with(2) == queries_with(8)


def test_a_finding_key_the_catalog_no_longer_knows_still_shows(programme) -> None:  # type: ignore[no-untyped-def]
    company = make_company(programme, "Old AB", owner_email="owner@old.test")
    make_scan(make_domain(company, "old.test"), overall=50, findings=[("mail.dmarc.retired_check", "fail", "high")])
    response = client_for(owner_of(company)).get(dashboard(company))
    assert response.status_code == 200
    assert "mail.dmarc.retired_check" in response.content.decode()
