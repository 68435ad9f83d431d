"""The SME report's self-assessment parts (HTML and PDF): maturity per area with its reasoning, the peer
benchmark and its hiding rule, NIS2, CRA (only for a company that places products) and the action plan."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from smecyber.accounts.models import Company, Programme
from smecyber.assessments import services
from smecyber.assessments.models import ActionItem
from smecyber.catalog import load_catalog
from smecyber.methodology.applicability import applicable_questions
from smecyber.methodology.maturity import score
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import text
from smecyber.reports import charts
from smecyber.reports.assessment_sections import item_title, maturity_section

from .assessments import add_peer, answer_all, submit_assessment
from .factories import client_for, make_company, make_coordinator, make_programme, owner_of
from .test_charts import assert_accessible, parse, texts

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
SHOP = {"size_band": "small", "sector": "G", "employees": 18, "turnover_meur": 2.5}


@pytest.fixture(autouse=True)
def _min_group(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGGREGATE_MIN_GROUP = 5


@pytest.fixture
def programme() -> Programme:
    return make_programme()


def first_practice_question(area: str, **profile: object) -> str:
    q = services.questionnaire()
    return next(question.id for question in applicable_questions(q, Profile(**profile))  # type: ignore[arg-type]
                if question.area == area and question.scale == "practice")


@pytest.fixture
def shop(programme: Programme) -> Company:
    """A small Swedish shop (SE, small, G) with a submitted assessment: "Mostly" everywhere, "No" on one backup
    question."""
    company = make_company(programme, "Alpha Shop", owner_email="owner@alpha.test")
    low = first_practice_question("backups", country="SE", **SHOP)
    submit_assessment(company, owner_of(company), low=[low], **SHOP)
    return company


def url(name: str, company: Company) -> str:
    return reverse(name, kwargs={"company_id": company.id})


def report(company: Company, user=None, **headers: str) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user or owner_of(company)).get(url("company_report", company), **headers)
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def section(page: str, heading_id: str) -> str:
    """The text of the <section> labelled by ``heading_id``."""
    start = page.index(f'id="{heading_id}"')
    return page[start:page.index("</section>", start)]


def pdf_text(company: Company, tmp_path: Path, user=None) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user or owner_of(company)).get(url("company_report_pdf", company))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    out = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return " ".join(out.split())


def test_maturity_table_has_every_area_with_score_and_level_name(shop: Company) -> None:
    page = report(shop)
    assessment = services.latest_submitted(shop)
    assert assessment is not None and assessment.overall is not None
    part = section(page, "maturity-heading")
    table = part[part.index('data-chart="maturity"'):]
    table = table[:table.index("</table>")]
    q = services.questionnaire()
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>", table)
    assert rows[0][0] == "Overall"
    assert rows[0][1] == f"{assessment.overall:.1f}".rstrip("0").rstrip(".")
    by_title = {title: (score, level) for title, score, level in rows[1:]}
    for area_id, area_score in assessment.area_scores.items():
        title = q.areas[area_id].text("en").title
        assert title in by_title
        assert by_title[title][1] == text(f"level.{int(area_score)}", "en")
    assert "<svg" in part and 'role="img"' in part  # the chart, with the table as its alternative
    # what the numbers mean: every level name
    for level in range(5):
        assert text(f"level.{level}", "en") in part


def test_the_answers_that_moved_an_area_are_named(shop: Company) -> None:
    q = services.questionnaire()
    low = first_practice_question("backups", country="SE", **SHOP)
    moves = section(report(shop), "moves-heading")
    backups = moves[moves.index(q.areas["backups"].text("en").title):]
    assert q.questions[low].text("en").question in backups[:2000]
    assert q.scales["practice"].step("0").text("en").label in backups[:2000]  # the answer given: "No"


def test_benchmark_is_hidden_with_four_smes_and_shown_with_five(programme: Programme, shop: Company) -> None:
    other = make_programme("Other programme")
    for i, overall in enumerate((1.0, 2.0, 3.0)):
        add_peer(other, f"Peer {i}", overall)
    add_peer(other, "Latvian shop", 3.5, country="LV")  # another country: not a peer
    add_peer(other, "Medium shop", 3.5, size_band="medium")  # another size: not a peer
    hidden = section(report(shop), "benchmark-heading")
    assert "4 of the 5 needed" in hidden
    assert "Your position:" not in hidden

    add_peer(other, "Peer 3", 3.9)
    shown = section(report(shop), "benchmark-heading")
    assert "Your position:" in shown
    assert "group size: 5" in shown
    assert "at least 5 companies" in shown


def test_nis2_section_gives_the_scope_its_reasons_and_the_disclaimer(shop: Company) -> None:
    part = section(report(shop), "nis2-heading")
    assert text("nis2.scope.out", "en") in part  # a small shop in no NIS2 sector
    assert text("nis2.sector_none", "en") in part
    assert text("nis2.disclaimer", "en") in part


def test_cra_section_only_for_a_company_that_places_products(programme: Programme, shop: Company) -> None:
    assert 'id="cra-heading"' not in report(shop)

    maker = make_company(programme, "Gadget Maker AB", owner_email="owner@gadget.test")
    submit_assessment(maker, owner_of(maker), size_band="small", sector="C", builds_software=True,
                      places_products=True)
    part = section(report(maker), "cra-heading")
    for milestone in ("cra.milestone.notified_bodies", "cra.milestone.reporting", "cra.milestone.full"):
        assert text(milestone, "en") in part
    assert 'datetime="2026-09-11"' in part and 'datetime="2027-12-11"' in part
    assert re.search(r"Readiness: \d+%", part)
    assert ("yes, in force" in part) or ("not yet" in part)


def test_action_plan_lists_open_items_in_rank_order_then_the_closed_ones(shop: Company) -> None:
    items = list(shop.action_items.filter(active=True).order_by("rank"))
    assert len(items) >= 4, "answering 'Mostly' everywhere must leave work to do"
    done, accepted = items[0], items[2]
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
    ActionItem.objects.filter(pk=accepted.pk).update(status=ActionItem.Status.ACCEPTED,
                                                     status_reason="We close the shop next year.")
    open_items = [i for i in items if i.pk not in (done.pk, accepted.pk)]

    part = section(report(shop), "plan-heading")
    shown = re.findall(r'data-key="([^"]+)"', part)
    assert shown == [i.key for i in open_items[:10]]
    if len(open_items) > 10:
        assert f"And {len(open_items) - 10} more item" in part
    closed = part[part.index("Done or risk accepted"):]
    q = services.questionnaire()
    assert item_title(q, done, "en") in closed and item_title(q, accepted, "en") in closed
    assert "We close the shop next year." in closed
    assert reverse("action_plan", kwargs={"company_id": shop.id}) in part
    first = part[part.index(f'data-key="{open_items[0].key}"'):]
    assert text(f"owner.{open_items[0].owner}", "en") in first[:1500]
    assert text("status.todo", "en") in first[:1500]


def test_without_an_assessment_the_report_invites_and_shows_only_a_plan_from_findings(programme: Programme) -> None:
    company = make_company(programme, "New AB", owner_email="owner@new.test")
    page = report(company)
    part = section(page, "maturity-heading")
    assert "You have not completed the self-assessment yet." in part
    assert reverse("assessment_home", kwargs={"company_id": company.id}) in part
    assert 'id="plan-heading"' not in page and 'id="nis2-heading"' not in page

    ActionItem.objects.create(company=company, key="finding:mail.dmarc.missing", severity="high", rank=1)
    part = section(report(company), "plan-heading")
    assert load_catalog().entry("mail.dmarc.missing", "en").title in part


def test_a_draft_is_not_reported(programme: Programme) -> None:
    company = make_company(programme, "Draft AB", owner_email="owner@draft.test")
    answer_all(company, owner_of(company), **SHOP)
    assert "You have not completed the self-assessment yet." in report(company)


def test_report_speaks_the_readers_language(shop: Company) -> None:
    page = report(shop, HTTP_ACCEPT_LANGUAGE="sv")
    q = services.questionnaire()
    assert q.areas["backups"].text("sv").title in page
    assert text("nis2.disclaimer", "sv") in page
    assert text("nis2.disclaimer", "en") not in page


def test_a_non_sharing_smes_report_is_404_for_the_coordinator_and_other_smes(programme: Programme,
                                                                              shop: Company) -> None:
    coordinator = make_coordinator(programme)
    other = make_company(programme, "Other AB", owner_email="owner@other.test")
    for user in (coordinator, owner_of(other)):
        client = client_for(user)
        assert client.get(url("company_report", shop)).status_code == 404
        assert client.get(url("company_report_pdf", shop)).status_code == 404
    Company.objects.filter(pk=shop.pk).update(shared_with_programme_at=other.created_at)
    assert 'id="maturity-heading"' in report(shop, coordinator)
    assert client_for(owner_of(other)).get(url("company_report", shop)).status_code == 404


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: the PDF's text cannot be "
                                              "read here; install poppler-utils to run this test")
def test_pdf_has_maturity_benchmark_nis2_cra_and_the_plan(programme: Programme, tmp_path: Path) -> None:
    maker = make_company(programme, "Gadget Maker AB", owner_email="owner@gadget.test")
    submit_assessment(maker, owner_of(maker), size_band="small", sector="C", builds_software=True,
                      places_products=True)
    flat = pdf_text(maker, tmp_path)
    assert "Maturity per area (0 to 4)" in flat
    assert "Overall" in flat and text("level.2", "en") in flat
    assert "1 of the 5 needed" in flat  # the benchmark's reason for hiding
    assert text("nis2.disclaimer", "en")[:60] in flat
    assert "Cyber Resilience Act (CRA)" in flat and text("cra.milestone.reporting", "en")[:50] in flat
    assert "Your action plan" in flat
    q = services.questionnaire()
    first = maker.action_items.filter(active=True).order_by("rank").first()
    assert first is not None and item_title(q, first, "en")[:40] in flat
    assert "Fill in the self-assessment" not in flat


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_without_an_assessment_invites_without_a_link(programme: Programme, tmp_path: Path) -> None:
    company = make_company(programme, "New AB", owner_email="owner@new.test")
    flat = pdf_text(company, tmp_path)
    assert "You have not completed the self-assessment yet." in flat
    assert "Fill in the self-assessment" not in flat


def test_maturity_chart_is_accessible_and_matches_its_table() -> None:
    bars = [charts.MaturityBar("Overall", 2.4, "2.4", "Partly in place", emphasis=True),
            charts.MaturityBar("Backups & <restore> and keeping the business running for days", 4.0, "4",
                               "Fully in place"),
            charts.MaturityBar("Secure development", None, "not scored", "")]
    chart = charts.maturity_chart(bars, chart_id="maturity", title="Maturity per area", description="Scores.",
                                  label_heading="Area", value_heading="Maturity (0–4)", level_heading="Level")
    root = parse(chart)
    assert_accessible(root, chart)
    assert chart.head == ("Area", "Maturity (0–4)", "Level")
    assert chart.rows[1] == ("Backups & <restore> and keeping the business running for days", "4", "Fully in place")
    shown = texts(root)
    assert {"0", "1", "2", "3", "4"} <= set(shown)  # the scale, one number per level
    assert "2.4" in shown and "not scored" in shown
    assert any(t.endswith("…") for t in shown)  # a long name is shortened in the picture only


def test_an_assessment_with_only_not_applicable_answers_has_no_score() -> None:
    q = services.questionnaire()
    profile = Profile(country="SE", size_band="micro")
    answers = {question.id: "na" for question in applicable_questions(q, profile)
               if "na" in q.scale_of(question).keys}
    part = maturity_section(q, score(q, profile, answers), "en")
    assert part.overall is None and part.level_name == ""
    assert part.chart.rows[0][0] == "Overall" and "not scored" in part.chart.rows[0][1]
