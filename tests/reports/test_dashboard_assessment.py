"""The SME dashboard's self-assessment and action plan cards: what they show, who gets which links, and that
they are fresh although the rest of the dashboard is cached."""

from __future__ import annotations

import html as htmllib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smecyber.accounts.models import AdvisorConsent, Company, Programme
from smecyber.assessments import services
from smecyber.assessments.models import ActionItem
from smecyber.methodology.texts import number, text
from smecyber.reports.assessment_sections import item_title
from tests.web.world import make_user

from .assessments import answer_all, submit_assessment
from .factories import client_for, make_company, make_domain, make_programme, make_scan, owner_of

pytestmark = pytest.mark.django_db

SHOP = {"size_band": "small", "sector": "G"}


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def company(programme: Programme) -> Company:
    company = make_company(programme, "Alpha Shop", owner_email="owner@alpha.test")
    make_scan(make_domain(company, "alpha.test"), overall=70, findings=[("mail.dmarc.missing", "fail", "high")])
    return company


def dashboard(company: Company, user=None) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user or owner_of(company)).get(reverse("company_dashboard",
                                                                 kwargs={"company_id": company.id}))
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def card(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start:page.index("</article>", start)]


def test_not_done_yet_offers_the_owner_a_start_and_an_advisor_no_action(company: Company) -> None:
    start = reverse("assessment_home", kwargs={"company_id": company.id})
    own = card(dashboard(company), "assessment-card-heading")
    assert "Not done yet." in own and start in own
    advisor = make_user("advisor@example.test")
    AdvisorConsent.objects.create(company=company, advisor=advisor, granted_by=owner_of(company))
    theirs = card(dashboard(company, advisor), "assessment-card-heading")
    assert "Not done yet." in theirs and start not in theirs


def test_a_draft_says_in_progress(company: Company) -> None:
    answer_all(company, owner_of(company), **SHOP)
    assert "In progress" in card(dashboard(company), "assessment-card-heading")


def test_submitted_shows_overall_maturity_level_and_the_top_three_items(company: Company) -> None:
    assessment = submit_assessment(company, owner_of(company), **SHOP)
    page = dashboard(company)
    own = card(page, "assessment-card-heading")
    assert assessment.overall is not None
    assert number(assessment.overall, "en") in own
    assert text(f"level.{int(assessment.overall)}", "en") in own
    assert reverse("assessment_result", kwargs={"company_id": company.id, "assessment_id": assessment.id}) in own

    plan = card(page, "plan-card-heading")
    q = services.questionnaire()
    items = list(company.action_items.filter(active=True).order_by("rank"))
    titles = [item_title(q, item, "en") for item in items[:3]]
    positions = [plan.index(title) for title in titles]
    assert positions == sorted(positions)
    if len(items) > 3:
        assert item_title(q, items[3], "en") not in plan
    assert f"{text('status.todo', 'en')}: {len(items)}" in plan
    assert reverse("action_plan", kwargs={"company_id": company.id}) in plan


def test_cards_are_fresh_although_the_results_are_cached(company: Company) -> None:
    first = dashboard(company)  # caches the overview and its rendered results
    assert "Not done yet." in card(first, "assessment-card-heading")
    submit_assessment(company, owner_of(company), **SHOP)
    page = dashboard(company)
    assert "Overall maturity" in card(page, "assessment-card-heading")

    item = company.action_items.filter(active=True).order_by("rank").first()
    assert item is not None
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.DONE)
    plan = card(dashboard(company), "plan-card-heading")
    assert f"{text('status.done', 'en')}: 1" in plan
    assert item_title(services.questionnaire(), item, "en") not in plan.split("<ol", 1)[-1].split("</ol>")[0]


def test_plan_from_findings_only_before_any_assessment(company: Company) -> None:
    ActionItem.objects.create(company=company, key="finding:mail.dmarc.missing", severity="high", rank=1)
    plan = card(dashboard(company), "plan-card-heading")
    assert item_title(services.questionnaire(), ActionItem.objects.get(company=company), "en") in plan


def test_card_queries_do_not_grow_with_the_plan(company: Company) -> None:
    client = client_for(owner_of(company))
    url = reverse("company_dashboard", kwargs={"company_id": company.id})
    client.get(url)  # the session's two-factor decision and the cached overview are in place from here on

    def queries_with(n: int) -> int:
        for rank in range(company.action_items.count() + 1, n + 1):
            ActionItem.objects.create(company=company, key=f"finding:web.test{rank}", rank=rank)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(4) == queries_with(25)
