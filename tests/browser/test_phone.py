"""On a phone: an SME owner logs in, adds a domain, scans it and reads the report, and no page needs
sideways scrolling (wide tables scroll inside their own box; everything else wraps)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.driver import BrowserThread, browser_context
from tests.browser.journey import Steps
from tests.browser.live_site import Site, make_company, make_user
from tests.browser.page_checks import ConsoleWatch, horizontal_overflow

# iPhone 13 (Playwright's device list), in Chromium: its screen, touch and a mobile layout viewport.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": ("Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1"),
}
# A domain with problems: its scan and report pages carry findings, evidence and fixes (long texts).
DOMAIN = "web-bad-cookies.test"
EMAIL = "phone-owner@example.test"
COMPANY = "Mobil Verkstad AB"


def phone_journey(browser: Any, site: Site) -> list[str]:
    with browser_context(browser, site.url, **PHONE) as context:
        watch = ConsoleWatch().attach(context)
        page = context.new_page()
        steps = Steps(page, site)
        fitted: list[str] = []
        overflowing: list[str] = []

        def fits() -> None:
            # what a person may open too: every <details> (evidence, the removal form)
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            problem = horizontal_overflow(page)
            if problem:
                overflowing.append(problem)
            fitted.append(page.url)

        steps.open_home()
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert width == PHONE["viewport"]["width"], f"not a phone layout: {width}px"
        fits()
        steps.click_link("Sign up", scope=page.locator("header"))
        steps.arrived("/accounts/signup/")
        fits()
        steps.open_login()
        fits()
        steps.log_in(EMAIL)
        fits()
        steps.click_link(COMPANY)
        steps.arrived("/c/[0-9a-f-]+/")
        fits()
        steps.click_link("Add your first domain")
        steps.arrived("/c/[0-9a-f-]+/domains/add/")
        fits()
        page.fill("#id_name", DOMAIN)
        steps.click_button("Add domain")
        steps.arrived("/d/[0-9a-f-]+/")
        fits()
        grades = steps.scan()
        assert grades, "no grades on the scan page"
        fits()
        report_grades = steps.open_report(DOMAIN)
        assert report_grades, "no grades in the report"
        fits()
        # The SME's other pages, through its navigation.
        for msgid, path in (("Overview", "/c/[0-9a-f-]+/"), ("Domains", "/c/[0-9a-f-]+/domains/"),
                            ("People and sharing", "/c/[0-9a-f-]+/people/")):
            steps.follow(page.locator("nav.company-nav").first.get_by_role("link", name=steps.t(msgid), exact=True))
            steps.arrived(path)
            fits()
        steps.click_link("Your account", scope=page.locator("header"))
        steps.arrived("/account/")
        fits()
        watch.assert_clean("the phone journey")
        assert not overflowing, "pages wider than the phone:\n" + "\n".join(overflowing)
        return fitted


@pytest.mark.lab
def test_phone_journey_fits_the_screen(browser_thread: BrowserThread, site: Site) -> None:
    make_company(make_user(EMAIL), site.programme, COMPANY)
    fitted = browser_thread.run(phone_journey, site)
    assert len(fitted) == 13, fitted
