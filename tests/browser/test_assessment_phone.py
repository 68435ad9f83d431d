"""On a phone, in Latvian: an SME owner fills in the whole self-assessment (company profile, every area,
review, submit), reads the maturity result and the action plan, and downloads the report as a PDF whose text is
Latvian too. No page may need sideways scrolling, and no page may log a console error (a CSP violation among
them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smecyber.assessments.models import ActionItem, Assessment
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.methodology.texts import text
from tests.browser.driver import BrowserThread, browser_context
from tests.browser.journey import Steps
from tests.browser.live_site import Site, make_company, make_user
from tests.browser.page_checks import ConsoleWatch, horizontal_overflow
from tests.browser.test_phone import PHONE

EMAIL = "telefons@example.test"
COMPANY = "Rīgas Grāmatnīca SIA"
LANG = "lv"
AREA_PATH = "/c/[0-9a-f-]+/assessment/[0-9a-f-]+/area/[a-z_-]+/"
MAX_AREAS = 12


@dataclass
class Run:
    steps: Steps
    pdf: bytes = b""
    areas: list[str] = field(default_factory=list)  # the area pages answered, in order
    overflowing: list[str] = field(default_factory=list)
    result_text: str = ""
    plan_text: str = ""


def fill_in_on_phone(browser: Any, site: Site) -> Run:
    with browser_context(browser, site.url, locale="lv-LV", timezone_id="Europe/Riga", **PHONE) as context:
        watch = ConsoleWatch().attach(context)
        page = context.new_page()
        run = Run(Steps(page, site, lang=LANG))
        steps = run.steps

        def fits() -> None:
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            problem = horizontal_overflow(page)
            if problem:
                run.overflowing.append(problem)

        steps.open_home()  # the browser asks for Latvian (Accept-Language): <html lang="lv"> from here on
        steps.log_in(EMAIL)
        steps.follow(steps.main.get_by_role("link", name=COMPANY).first)  # a name, not a text to translate
        steps.arrived("/c/[0-9a-f-]+/")
        nav = page.locator("nav.company-nav").first
        steps.follow(nav.get_by_role("link", name=steps.t("Self-assessment"), exact=True))
        steps.arrived("/c/[0-9a-f-]+/assessment/")
        fits()
        steps.click_button("Start the self-assessment")
        steps.arrived("/c/[0-9a-f-]+/assessment/[0-9a-f-]+/profile/")
        fits()
        page.fill("#id_employees", "6")
        page.fill("#id_turnover_meur", "0.8")
        steps.click_button("Save and continue")
        # One area per page until the review; every question gets an answer (the "Partly" .. "Yes" steps in turn).
        for _ in range(MAX_AREAS + 1):
            if not re.search(AREA_PATH + r"$", page.url.split("?")[0]):
                break
            steps.arrived(AREA_PATH)
            run.areas.append(page.url)
            questions = steps.main.locator("fieldset.question")
            count = questions.count()
            assert count > 0, f"{page.url}: an area page without questions"
            for index in range(count):
                choices = questions.nth(index).locator("label.choice")
                assert choices.count() >= 2, f"{page.url}: question {index} has no answer choices"
                choices.nth(1 + index % (min(choices.count(), 4) - 1)).click()  # never "No" for all
            fits()
            steps.click_button("Save and continue")
        else:
            raise AssertionError(f"still on area pages after {MAX_AREAS + 1} steps: {run.areas}")
        steps.arrived("/c/[0-9a-f-]+/assessment/[0-9a-f-]+/review/")
        fits()
        steps.click_button("Submit the self-assessment")
        steps.arrived("/c/[0-9a-f-]+/assessment/[0-9a-f-]+/result/")
        fits()
        run.result_text = steps.main.inner_text()
        steps.follow(nav.get_by_role("link", name=steps.t("Action plan"), exact=True))
        steps.arrived("/c/[0-9a-f-]+/plan/")
        fits()
        run.plan_text = steps.main.inner_text()
        page.go_back()
        steps.arrived("/c/[0-9a-f-]+/assessment/[0-9a-f-]+/result/")
        name = steps.t("Download the report (PDF)")
        with page.expect_download() as info:
            steps.main.get_by_role("link", name=name).first.click()
        download = info.value
        assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
        run.pdf = Path(download.path()).read_bytes()
        watch.assert_clean("the self-assessment on a phone")
        return run


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


@pytest.mark.lab
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils, scripts/setup.sh) is missing")
def test_self_assessment_in_latvian_on_a_phone(browser_thread: BrowserThread, site: Site, tmp_path: Path) -> None:
    company = make_company(make_user(EMAIL), site.programme, COMPANY)
    company.country, company.sector, company.size_band, company.builds_software = "LV", "G", "micro", False
    company.save()

    run = browser_thread.run(fill_in_on_phone, site, timeout=300)

    q = load_questionnaire()
    assert not run.overflowing, "pages wider than the phone:\n" + "\n".join(run.overflowing)
    assert not run.steps.waiting_for_translation, f"not translated to Latvian: {run.steps.waiting_for_translation}"
    # Skip logic: a micro shop that builds no software never sees the development area.
    assert run.areas and not any("/area/development/" in url for url in run.areas), run.areas
    assessment = Assessment.objects.get(company=company)
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.overall is not None
    assert 0 < assessment.answers.count() < 30
    # The result page speaks Latvian: area titles from the questionnaire, level names from the methodology texts.
    assert q.areas["backups"].text(LANG).title in run.result_text
    assert text(f"level.{int(assessment.overall)}", LANG) in run.result_text
    assert text("nis2.disclaimer", LANG)[:40] in run.result_text
    # The plan page lists the items the answers produced, in Latvian.
    items = list(ActionItem.objects.filter(company=company, active=True).order_by("rank"))
    assert items, "no action plan items after a self-assessment with weak answers"
    first = items[0].key
    assert q.recommendations[first].text(LANG).title in run.plan_text
    # The PDF: a real PDF whose text carries the same Latvian figures and titles.
    assert run.pdf.startswith(b"%PDF-"), run.pdf[:20]
    body = " ".join(pdf_text(run.pdf, tmp_path).split())
    assert COMPANY in body
    assert q.areas["backups"].text(LANG).title in body
    assert " ".join(q.recommendations[first].text(LANG).title.split())[:30] in body
