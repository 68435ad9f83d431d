"""The SME dashboard's cached overview: the next view after any change shows it, another SME or language never
gets this one's copy, and who looks (access, audit) is still decided on every request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AdvisorConsent, AuditEvent, Company, Programme
from smecyber.assets.models import Domain
from smecyber.catalog import ui_text
from smecyber.scans.models import Scan, ScanFinding, ScanStatus
from tests.web.world import make_user

from .factories import GOOD_FACTS, client_for, grades, make_company, make_domain, make_programme, make_scan, owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def alpha(programme: Programme) -> Company:
    company = make_company(programme, "Alpha AB", owner_email="owner@alpha.test")
    make_scan(make_domain(company, "alpha.test"), overall=72, when=timezone.now() - timedelta(days=3),
              findings=[("web.hsts.missing", "warn", "medium")])
    return company


def dashboard(company: Company) -> str:
    return reverse("company_dashboard", kwargs={"company_id": company.id})


def view(company: Company, **headers: str) -> str:
    response = client_for(owner_of(company)).get(dashboard(company), **headers)
    assert response.status_code == 200
    return response.content.decode()


def finish_scan(domain: Domain, score: int) -> Scan:
    """As the scan runner does: findings, then the running scan saved as done, in one transaction."""
    scan = Scan.objects.create(domain=domain, status=ScanStatus.RUNNING, attempts=1)
    ScanFinding.objects.bulk_create([ScanFinding(scan=scan, check_id="mail.dmarc", key="mail.dmarc.missing",
                                                 status="fail", severity="high", subject=domain.name)])
    scan.status, scan.grades, scan.facts, scan.finished_at = ScanStatus.DONE, grades(score), GOOD_FACTS, timezone.now()
    scan.save(update_fields=["status", "grades", "facts", "finished_at", "lease_until", "checks_done", "error"])
    return scan


def scan_queries(company: Company) -> int:
    client = client_for(owner_of(company))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(dashboard(company)).status_code == 200
    return sum(1 for q in ctx.captured_queries if '"scans_scan' in q["sql"] or '"assets_domain"' in q["sql"])


def test_an_unchanged_overview_is_read_from_the_cache(alpha: Company) -> None:
    assert scan_queries(alpha) > 0
    assert scan_queries(alpha) == 0


def test_a_finished_scan_shows_on_the_next_view(alpha: Company) -> None:
    assert "mail.dmarc.missing" not in view(alpha) and ">72<" in view(alpha)
    scan = finish_scan(alpha.domains.get(), 31)
    html = view(alpha)
    assert reverse("scan_detail", kwargs={"scan_id": scan.id}) in html
    assert "<td>31</td>" in html  # the trend table and the history


def test_a_scan_in_progress_shows_its_current_status(alpha: Company) -> None:
    view(alpha)
    scan = make_scan(alpha.domains.get(), overall=None, status=ScanStatus.QUEUED)
    assert str(ScanStatus.QUEUED.label) in view(alpha)
    # the runner claims a scan with update(), which sends no signal: such an overview is never cached
    Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING)
    assert str(ScanStatus.RUNNING.label) in view(alpha)


def test_an_added_verified_and_removed_domain_show_on_the_next_view(alpha: Company) -> None:
    assert "new-shop.test" not in view(alpha)
    domain = make_domain(alpha, "new-shop.test", verified=False)
    html = view(alpha)
    assert "new-shop.test" in html and "not verified yet" in html
    domain.verified_at = timezone.now()
    domain.save(update_fields=["verified_at"])
    assert "not verified yet" not in view(alpha)
    domain.delete()
    assert "new-shop.test" not in view(alpha)


def test_a_renamed_sme_shows_its_new_name(alpha: Company) -> None:
    view(alpha)
    alpha.name = "Alpha Renamed AB"
    alpha.save()
    assert "Alpha Renamed AB" in view(alpha)


def test_another_sme_never_gets_this_smes_overview(programme: Programme, alpha: Company) -> None:
    beta = make_company(programme, "Beta SIA", owner_email="owner@beta.test")
    make_scan(make_domain(beta, "beta-secret.test"), overall=12)
    assert "alpha.test" in view(alpha)
    html = view(beta)
    assert "beta-secret.test" in html and "alpha.test" not in html
    assert "beta-secret.test" not in view(alpha)


def test_each_language_has_its_own_copy(alpha: Company) -> None:
    english, swedish = ui_text("report.top_fixes", "en"), ui_text("report.top_fixes", "sv")
    assert english != swedish
    assert english in view(alpha, HTTP_ACCEPT_LANGUAGE="en")
    sv = view(alpha, HTTP_ACCEPT_LANGUAGE="sv")
    assert swedish in sv and english not in sv
    assert english in view(alpha, HTTP_ACCEPT_LANGUAGE="en")


def test_viewers_are_checked_and_audited_on_every_view_of_a_cached_overview(alpha: Company) -> None:
    view(alpha)  # cached now
    advisor = make_user("advisor@example.test")
    client = client_for(advisor)
    consent = AdvisorConsent.objects.create(company=alpha, advisor=advisor, granted_by=owner_of(alpha))
    for _ in range(2):
        assert client.get(dashboard(alpha)).status_code == 200
    assert AuditEvent.objects.filter(company=alpha, actor=advisor, action=AuditEvent.Action.VIEW_RESULTS).count() == 2
    consent.revoked_at = timezone.now()
    consent.save()
    assert client.get(dashboard(alpha)).status_code == 404


def test_the_cached_results_carry_nothing_of_the_viewer(alpha: Company) -> None:
    """The results part of the page is rendered once per overview; the navigation around it is the viewer's."""
    owner_page = view(alpha)  # fills the overview and its rendered results
    advisor = make_user("advisor@help.test")
    AdvisorConsent.objects.create(company=alpha, advisor=advisor, granted_by=owner_of(alpha))
    response = client_for(advisor).get(dashboard(alpha))
    assert response.status_code == 200
    advisor_page = response.content.decode()
    people = reverse("company_people", kwargs={"company_id": alpha.id})
    assert people in owner_page and people not in advisor_page  # owners and members only
    assert "alpha.test" in advisor_page and "72" in advisor_page  # the same cached results
