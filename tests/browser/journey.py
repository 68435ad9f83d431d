"""A person's way through the platform, step by step, as a browser user does it.

These functions run in the browser's thread (driver.py): they click and read pages, read the mailbox and
write the lab's files, and never touch the database. Buttons and links are found by the text the person sees
in their language (``Steps.t``: the app's gettext in that language, English until a translation exists), so
the same steps serve the English and the Swedish journey.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from smecyber.catalog import ui_text
from tests.browser.live_site import CLOSED_PROGRAMME_NAME, PASSWORD, PROGRAMME_NAME, Site

GOOD_GRADES = {"A", "A+"}
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")
MAIL_WAIT_S = 10.0


def translated(msgid: str, lang: str) -> str | None:
    """The app's translation of ``msgid`` into ``lang``, or None while there is none (English is its own)."""
    with translation.override(lang):
        text = gettext(msgid)
    return text if lang == "en" or text != msgid else None


@dataclass
class Steps:
    page: Any
    site: Site
    lang: str = "en"
    visited: list[str] = field(default_factory=list)
    # Swedish texts the journey looked for but could not check yet: their translation is not written.
    waiting_for_translation: list[str] = field(default_factory=list)

    # --- helpers ------------------------------------------------------------------------------------------

    def t(self, msgid: str) -> str:
        """``msgid`` as the person sees it; English (and noted as waiting) while the translation is missing."""
        text = translated(msgid, self.lang)
        if text is None:
            self.waiting_for_translation.append(msgid)
            return msgid
        return text

    @property
    def main(self) -> Any:
        return self.page.locator("main")

    def arrived(self, path_pattern: str) -> None:
        """The page at ``path_pattern`` (a regex on the path) has loaded, in the person's language."""
        self.page.wait_for_url(re.compile(rf"^{re.escape(self.site.url)}{path_pattern}(\?.*)?$"))
        self.page.wait_for_load_state("load")
        lang = self.page.get_attribute("html", "lang")
        assert lang == self.lang, f"{self.page.url}: <html lang={lang!r}>, expected {self.lang!r}"
        self.visited.append(self.page.url)

    def follow(self, locator: Any) -> None:
        """Click and wait for the next page (also when it has the URL of this one, as after a POST)."""
        with self.page.expect_navigation():
            locator.click()

    def click_button(self, msgid: str, scope: Any = None) -> None:
        self.follow((scope or self.main).get_by_role("button", name=self.t(msgid)))

    def click_link(self, msgid: str, scope: Any = None) -> None:
        """A link by its text; also one styled as a button (Pico's ``<a role="button">``)."""
        scope = scope or self.main
        name = self.t(msgid)
        self.follow(scope.get_by_role("link", name=name).or_(scope.get_by_role("button", name=name)).first)

    def expect_translated(self, locator: Any, msgid: str) -> None:
        """``locator`` shows ``msgid`` in the person's language; only noted while the translation is missing."""
        text = translated(msgid, self.lang)
        if text is None:
            self.waiting_for_translation.append(msgid)
            return
        got = locator.inner_text()
        assert text in got, f"{self.page.url}: expected {text!r} ({self.lang}) in {got!r}"

    # --- the steps ----------------------------------------------------------------------------------------

    def open_home(self) -> None:
        self.page.goto("/")
        self.arrived("/")

    def switch_language(self, lang: str) -> None:
        """With the footer's language switcher, as a visitor does."""
        footer = self.page.locator("footer")
        path = urlsplit(self.page.url).path
        footer.locator("select").select_option(lang)
        self.lang = lang
        self.follow(footer.get_by_role("button"))
        self.arrived(re.escape(path))  # back on the same page, now in ``lang``

    def sign_up(self, email: str) -> None:
        self.click_link("Sign up")
        self.arrived("/accounts/signup/")
        form = self.main.locator("form").filter(has=self.page.locator("input[name=email]"))
        form.locator("input[name=email]").fill(email)
        form.locator("input[name=password1]").fill(PASSWORD)
        form.locator("input[name=password2]").fill(PASSWORD)
        self.expect_translated(form, "Password")  # allauth's own label: translated already, always checked
        self.follow(form.locator("button[type=submit]"))
        self.arrived("/accounts/confirm-email/")

    def confirm_email(self, email: str) -> None:
        """Open the link of the verification email and confirm."""
        link = wait_for_confirmation_link(email)
        assert link.startswith(self.site.url), f"the link points elsewhere: {link}"
        self.page.goto(link)
        self.arrived("/accounts/confirm-email/[^/]+/")
        self.follow(self.main.locator("form button[type=submit]"))

    def register_company(self, name: str) -> str:
        """The onboarding form; returns the company's dashboard URL."""
        if not self.page.url.startswith(f"{self.site.url}/start/"):
            self.arrived("/")
            self.click_link("Register your company")
        self.arrived("/start/")
        self.expect_translated(self.page.locator("h1"), "Register your company")  # waits for the app's .po
        self.page.fill("#id_name", name)
        self.page.select_option("#id_country", "SE")
        self.page.select_option("#id_sector", "J")
        self.page.select_option("#id_size_band", "micro")
        self.page.check("#id_builds_software")
        programme = self.page.locator("#id_programme")
        options = programme.locator("option").all_inner_texts()
        assert any(PROGRAMME_NAME in o for o in options), f"{PROGRAMME_NAME!r} not offered: {options}"
        assert not any(CLOSED_PROGRAMME_NAME in o for o in options), "a programme closed for sign-up is offered"
        programme.select_option(label=next(o for o in options if PROGRAMME_NAME in o))
        self.click_button("Register the company")
        self.arrived("/c/[0-9a-f-]+/")
        assert name in self.page.locator("h1").inner_text()
        return self.page.url

    def add_domain(self, domain: str) -> None:
        self.click_link("Add your first domain")
        self.arrived("/c/[0-9a-f-]+/domains/add/")
        self.page.fill("#id_name", domain)
        self.click_button("Add domain")
        self.arrived("/d/[0-9a-f-]+/")
        assert domain in self.page.locator("h1").inner_text()

    def verify_by_file(self, domain: str) -> None:
        """Copy the code from the page into the file the page names, then press the check button."""
        url = self.page.input_value("#file-url")
        assert url.endswith(f"{domain}/.well-known/smecyber-verification.txt"), url
        token = self.page.input_value("#file-body").strip()
        assert len(token) >= 16, f"no verification code on the page: {token!r}"
        self.site.upload_verification_file(domain, token)
        self.click_button("Check now")
        self.arrived("/d/[0-9a-f-]+/")
        badge = self.main.locator(".badge-ok")
        badge.first.wait_for()
        assert badge.first.inner_text().strip() == self.t("verified")

    def scan(self) -> dict[str, str]:
        """Press scan; the scan runs during the request (eager tasks). Returns area label -> grade letter."""
        self.click_button("Scan now")
        self.arrived("/s/[0-9a-f-]+/")
        rows = self.main.locator("table.grades tbody tr")
        rows.first.wait_for()
        grades = {}
        for row in rows.all():
            grades[row.locator("th").inner_text().strip()] = row.locator("td").first.inner_text().strip()
        return grades

    def open_report(self, domain: str) -> dict[str, str]:
        """The SME report page through the company navigation; returns its grades of ``domain``."""
        self.follow(self.page.locator("nav.company-nav").first.get_by_role("link", name=self.t("Report"), exact=True))
        self.arrived("/c/[0-9a-f-]+/report/")
        section = self.main.locator("section.report-domain").filter(
            has=self.page.get_by_role("heading", name=domain))
        section.wait_for()
        grades = {}
        for row in section.locator("table tbody tr").all():
            grades[row.locator("th").inner_text().strip()] = row.locator("td").first.inner_text().strip()
        return grades

    def download_pdf(self) -> bytes:
        name = self.t("Download as PDF")
        with self.page.expect_download() as info:
            self.main.get_by_role("link", name=name).or_(self.main.get_by_role("button", name=name)).first.click()
        download = info.value
        assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
        with open(download.path(), "rb") as f:
            return f.read()

    def open_login(self) -> None:
        self.click_link("Log in", scope=self.page.locator("header"))
        self.arrived("/accounts/login/")

    def log_in(self, email: str) -> None:
        if "/accounts/login/" not in self.page.url:
            self.open_login()
        form = self.main.locator("form").filter(has=self.page.locator("input[name=password]"))
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(PASSWORD)
        self.follow(form.locator("button[type=submit]"))
        self.arrived("/")

    def scan_group_labels(self) -> list[str]:
        """The catalog's labels of the score groups in the person's language (exist in every language)."""
        return [ui_text(f"group.{g}", self.lang) for g in ("overall", "web_headers", "tls", "mail", "dns")]


def wait_for_confirmation_link(email: str) -> str:
    """The confirmation link of the newest email to ``email`` (sent by the live server's thread)."""
    deadline = time.monotonic() + MAIL_WAIT_S
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if email in message.to:
                found = CONFIRM_LINK.search(message.body)
                assert found, f"no confirmation link in the email:\n{message.body}"
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no email to {email} (outbox: {[m.to for m in mail.outbox]})")


def assert_good_grades(grades: dict[str, str], where: str) -> None:
    assert len(grades) >= 5, f"{where}: too few grades {grades}"
    bad = {area: letter for area, letter in grades.items() if letter not in GOOD_GRADES}
    assert not bad, f"{where}: good.test should get A or A+ everywhere, got {grades}"
