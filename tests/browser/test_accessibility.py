"""The main pages, filled with real data (lab scans, a sweep), checked in the browser:

- axe-core finds no violation of impact serious or critical (the message lists every violation, any impact);
- nothing is written to the console as an error: no script error, no failed resource, no CSP violation
  (an inline script, style or event handler the CSP blocks shows up here).

One page load serves both checks; each page and check is a subtest of its own, so one run shows them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from smecyber.accounts.models import AdvisorConsent, ProgrammeRole, User
from smecyber.assets.models import Domain
from smecyber.assets.services import add_domain
from smecyber.scans.models import Scan, ScanStatus
from smecyber.scans.services import request_scan, submit_batch
from tests.browser.driver import BrowserThread, browser_context, unavailable
from tests.browser.live_site import Site, make_company, make_user
from tests.browser.page_checks import AXE_JS, ConsoleWatch, axe_violations, blocking, describe_violations, install_axe

GOOD = "good.test"
WEAK = "dmarc-missing.test"  # findings to show: a failing check, its why and how, the fixes list
SWEEP = ["good.test", "dmarc-missing.test", "web-no-hsts.test", "mail-no-spf.test", "dns-no-caa.test",
         "web-bad-cookies.test"]


@dataclass
class PageResult:
    name: str
    url: str
    status: int | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def build_data(site: Site, settings: Any) -> dict[str, list[tuple[str, str]]]:
    """An SME with a verified, well-configured domain and a weak one (real scans, the weak one twice so its
    pages show a history and changes), a coordinator with a finished sweep, an advisor the SME let in.
    Returns persona -> [(page name, path)]."""
    settings.AGGREGATE_MIN_GROUP = 1  # one SME is enough for the programme's charts to be drawn
    owner = make_user("owner@example.test")
    company = make_company(owner, site.programme)
    good = add_domain(company, GOOD, user=owner)
    Domain.objects.filter(pk=good.pk).update(verified_at=good.created_at, verified_method=Domain.Method.FILE)
    weak = add_domain(company, WEAK, user=owner)
    scans = [request_scan(d, user=owner) for d in (good, weak, weak)]  # eager: each done when it returns
    done = list(Scan.objects.filter(status=ScanStatus.DONE))
    assert len(done) == 3, f"the lab scans did not finish: {[(s.domain, s.status, s.error) for s in done]}"
    coordinator = make_user("coordinator@example.test")
    ProgrammeRole.objects.create(user=coordinator, programme=site.programme, role=ProgrammeRole.Role.COORDINATOR)
    batch = submit_batch(site.programme, SWEEP, user=coordinator, name="Members, spring")
    advisor = make_user("advisor@example.test")
    ProgrammeRole.objects.create(user=advisor, programme=site.programme, role=ProgrammeRole.Role.ADVISOR)
    AdvisorConsent.objects.create(company=company, advisor=advisor, granted_by=owner)
    c, p = {"company_id": company.pk}, {"programme_id": site.programme.pk}
    return {
        "anonymous": [("home", "/"), ("login", reverse("account_login")), ("sign-up", reverse("account_signup")),
                      ("password reset", reverse("account_reset_password"))],
        "owner@example.test": [
            ("start page", "/"),
            ("SME dashboard", reverse("company_dashboard", kwargs=c)),
            ("domain list", reverse("domain_list", kwargs=c)),
            ("add a domain", reverse("domain_add", kwargs=c)),
            ("domain detail (verified)", reverse("domain_detail", kwargs={"domain_id": good.pk})),
            ("domain detail (with history)", reverse("domain_detail", kwargs={"domain_id": weak.pk})),
            ("scan detail", reverse("scan_detail", kwargs={"scan_id": scans[-1].pk})),
            ("report", reverse("company_report", kwargs=c)),
            ("people", reverse("company_people", kwargs=c)),
            ("audit log", reverse("audit_log", kwargs=c)),
            ("account settings", reverse("account_settings")),
            ("onboarding", reverse("onboarding")),
            ("email addresses", reverse("account_email")),
            ("password change", reverse("account_change_password")),
            ("two-factor login", reverse("mfa_index")),
            ("delete the company", reverse("company_delete", kwargs=c)),
            ("delete the account", reverse("account_delete")),
        ],
        "advisor@example.test": [
            ("advisor's SMEs", reverse("advisor_home")),
            ("SME dashboard, as advisor", reverse("company_dashboard", kwargs=c)),
        ],
        "coordinator@example.test": [
            ("programme dashboard", reverse("programme_dashboard", kwargs=p)),
            ("sweeps", reverse("batch_list", kwargs=p)),
            ("sweep detail", reverse("batch_detail", kwargs={"batch_id": batch.pk})),
            ("new sweep", reverse("batch_new", kwargs=p)),
        ],
    }


def check_pages(browser: Any, site: Site, pages: dict[str, list[tuple[str, str]]],
                cookies: dict[str, dict[str, Any]]) -> list[PageResult]:
    results = []
    for persona, persona_pages in pages.items():
        with browser_context(browser, site.url) as context:
            if persona in cookies:
                context.add_cookies([cookies[persona]])
            install_axe(context, site.url)
            watch = ConsoleWatch().attach(context)
            page = context.new_page()
            for name, path in persona_pages:
                result = PageResult(f"{name} ({persona})", site.url + path)
                response = page.goto(path)  # returns once the page's "load" event fired
                result.status = response.status if response else None
                result.violations = axe_violations(page)
                result.console_errors = watch.take()
                results.append(result)
    return results


@pytest.mark.lab
def test_main_pages_accessible_and_free_of_console_errors(browser_thread: BrowserThread, site: Site,
                                                          settings: Any, subtests: Any) -> None:
    if not AXE_JS.exists():
        unavailable(f"axe-core is missing at {AXE_JS}: run `npm ci` in tests/browser")
    pages = build_data(site, settings)
    cookies = {email: site.session_cookie(User.objects.get(email=email)) for email in pages if email != "anonymous"}
    results = browser_thread.run(check_pages, site, pages, cookies)
    assert len(results) == sum(len(p) for p in pages.values())
    for result in results:
        with subtests.test(msg=f"loads: {result.name}"):
            assert result.status == 200, f"{result.url} answered {result.status}"
        with subtests.test(msg=f"axe: {result.name}"):
            assert not blocking(result.violations), describe_violations(result.url, result.violations)
        with subtests.test(msg=f"console: {result.name}"):
            assert not result.console_errors, f"console errors on {result.url}:\n" + "\n".join(result.console_errors)
