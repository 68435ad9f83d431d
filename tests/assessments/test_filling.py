"""Filling in the self-assessment through the pages: start, profile, steps with save and resume, skip logic,
validation, submission, read-only history, results (benchmark, NIS2, CRA), and a whole run on the packaged
questionnaire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AuditEvent, Company
from smecyber.assessments import services
from smecyber.assessments.models import Assessment
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.methodology.applicability import applicable_areas, applicable_questions
from smecyber.methodology.profile import Profile

from .conftest import World, make_company


def url(name: str, assessment: Assessment, **extra: str) -> str:
    return reverse(name, kwargs={"company_id": assessment.company_id, "assessment_id": assessment.pk, **extra})


def step(assessment: Assessment, area: str) -> str:
    return url("assessment_step", assessment, area=area)


def home(company: Company) -> str:
    return reverse("assessment_home", kwargs={"company_id": company.pk})


PROFILE_FORM = {"country": "LV", "sector": "J", "size_band": "micro", "nis2_sector": ""}


def post_profile(client: Client, assessment: Assessment, **changes: object) -> object:
    data: dict[str, object] = {**PROFILE_FORM, **changes}
    data = {k: v for k, v in data.items() if v is not False}  # an unticked checkbox is not sent
    return client.post(url("assessment_profile", assessment), data)


def text_of(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def draft(world: World, small_questionnaire: object) -> Assessment:
    return services.start_assessment(world.a, world.owner)


def complete_and_submit(world: World, assessment: Assessment, answers: dict[str, str]) -> None:
    assessment.refresh_from_db()  # the pages may have changed the profile
    services.save_answers(assessment, answers, world.owner)
    services.submit(assessment, world.owner)


# --- start, profile, save and resume --------------------------------------------------------------------------

@pytest.mark.usefixtures("small_questionnaire")
def test_start_leads_to_the_prefilled_profile_then_to_the_first_area(world: World) -> None:
    client = world.client(world.owner)
    page = client.get(home(world.a))
    assert page.status_code == 200
    assert "Start the self-assessment" in text_of(page)
    response = client.post(reverse("assessment_start", kwargs={"company_id": world.a.pk}))
    assessment = Assessment.objects.get(company=world.a)
    assert response.status_code == 302 and response["Location"] == url("assessment_profile", assessment)
    profile_page = client.get(response["Location"])
    assert profile_page.status_code == 200
    assert re.search(r'<option value="J" selected>', profile_page.content.decode())
    assert "None of these" in text_of(profile_page)  # the NIS2 sector list starts with "none"
    saved = post_profile(client, assessment, size_band="small")
    assert saved.status_code == 302 and saved["Location"] == step(assessment, "governance")
    assessment.refresh_from_db()
    assert assessment.profile["size_band"] == "small"
    # starting again does not make a second draft: it continues the first
    again = client.post(reverse("assessment_start", kwargs={"company_id": world.a.pk}))
    assert again["Location"] == step(assessment, "governance")
    assert Assessment.objects.filter(company=world.a).count() == 1


def test_profile_with_bad_figures_is_refused(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    response = post_profile(client, draft, employees="-3", turnover_meur="lots", country="XX")
    assert response.status_code == 400
    assert "Please correct the marked fields" in text_of(response)
    draft.refresh_from_db()
    assert draft.profile["country"] == "LV"


def test_save_and_stop_then_continue_where_you_left_off(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    post_profile(client, draft, size_band="small", builds_software="on", places_products="on")
    response = client.post(step(draft, "governance"), {"q:governance.owner": "1", "action": "stop"})
    assert response.status_code == 302 and response["Location"] == home(world.a)
    page = text_of(client.get(home(world.a)))
    assert "1 of 3 questions answered" in page
    assert '<progress id="progress-all" value="1" max="3">' in page
    assert f'href="{step(draft, "governance")}" role="button">Continue where you left off' in page
    again = client.get(step(draft, "governance")).content.decode()
    assert re.search(r'name="q:governance.owner"[^>]*value="1" checked', again)  # the answer is kept
    assert "Area 1 of 2" in again
    # "Save and continue" goes to the next area, and "continue" now leads there
    response = client.post(step(draft, "governance"), {"q:governance.risk_review": "0.5", "action": "continue"})
    assert response["Location"] == step(draft, "development")
    assert f'href="{step(draft, "development")}" role="button">Continue where you left off' in text_of(
        client.get(home(world.a)))
    response = client.post(step(draft, "development"), {"q:development.dependencies": "0", "action": "continue"})
    assert response["Location"] == url("assessment_review", draft)
    assert services.answers_of(draft) == {"governance.owner": "1", "governance.risk_review": "0.5",
                                          "development.dependencies": "0"}


def test_a_step_page_works_on_a_phone(world: World, draft: Assessment) -> None:
    """No tables for questions: one fieldset per question, one labelled radio button per scale step (each a
    whole-width touch target), the help text folded in a <details>."""
    page = world.client(world.member).get(step(draft, "governance")).content.decode()
    assert "<table" not in page
    assert page.count('<fieldset class="question"') == 1  # micro: only governance.owner
    assert page.count('type="radio" name="q:governance.owner"') == 3  # yes / no / not applicable
    assert '<label class="choice"' in page and "Not done." in page  # label and meaning of a step
    assert "<details class=\"question-help\">" in page and "A name, not a department." in page
    assert 'name="viewport"' in page
    assert "Save and continue" in page and "Save and stop for now" in page


def test_skip_logic_follows_the_profile(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    page = text_of(client.get(home(world.a)))
    assert "Secure development" not in page  # micro, no software
    hidden = client.get(step(draft, "development"))
    assert hidden.status_code == 302 and hidden["Location"] == home(world.a)
    post_profile(client, draft, builds_software="on", places_products="on")
    page = text_of(client.get(home(world.a)))
    assert "Secure development" in page and "0 of 2 questions answered" in page
    shown = client.get(step(draft, "development"))
    assert shown.status_code == 200 and "Do you track the components your software uses?" in text_of(shown)
    client.post(step(draft, "development"), {"q:development.dependencies": "1", "action": "stop"})
    # back to no software: the answer is kept but no longer counted, and the page says so
    response = post_profile(client, draft)
    assert response.status_code == 302
    page = text_of(client.get(home(world.a)))
    assert "0 of 1 question answered" in page
    assert "answers belong to questions that no longer apply" in page or "1 of your answers belong" in page
    assert draft.answers.filter(question="development.dependencies").exists()
    assert client.get(step(draft, "no-such-area")).status_code == 404


@pytest.mark.parametrize("posted", [
    {"q:governance.owner": "1", "q:governance.unknown": "1"},  # no such question
    {"q:governance.owner": "0.5"},  # not a step of the yes/no scale
    {"q:governance.owner": "1", "q:development.dependencies": "1"},  # a question of another area
])
def test_invalid_answers_are_refused_and_nothing_is_saved(world: World, draft: Assessment,
                                                         posted: dict[str, str]) -> None:
    response = world.client(world.owner).post(step(draft, "governance"), {**posted, "action": "continue"})
    assert response.status_code == 400
    assert "Nothing was saved" in text_of(response)
    assert not draft.answers.exists()


def test_submit_is_refused_while_incomplete_and_names_the_areas(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    post_profile(client, draft, builds_software="on", places_products="on")
    client.post(step(draft, "governance"), {"q:governance.owner": "1", "action": "continue"})
    review = text_of(client.get(url("assessment_review", draft)))
    assert "1 question still has no answer" in review
    assert f'href="{step(draft, "development")}"' in review  # a link to the open area
    assert "Submit the self-assessment" not in review
    response = client.post(url("assessment_submit", draft), follow=True)
    assert response.redirect_chain[0][0] == url("assessment_review", draft)
    assert "Some questions are still unanswered, in: Secure development" in text_of(response)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_submit_stores_the_scores_and_shows_the_result(world: World, draft: Assessment) -> None:
    client = world.client(world.member)
    client.post(step(draft, "governance"), {"q:governance.owner": "0", "action": "continue"})
    review = text_of(client.get(url("assessment_review", draft)))
    assert "Every question has an answer" in review and "Submit the self-assessment" in review
    response = client.post(url("assessment_submit", draft))
    assert response.status_code == 302 and response["Location"] == url("assessment_result", draft)
    draft.refresh_from_db()
    assert (draft.status, draft.overall, draft.area_scores) == ("submitted", 0.0, {"governance": 0.0})
    result = text_of(client.get(response["Location"]))
    assert "Overall: <strong class=\"score\">0.0</strong> of 4 — Not started" in result
    # the reasoning: the answer that cost the area its points
    assert "Is one person responsible for security? — your answer: <strong>No</strong>" in result
    assert "(−4.0 points)" in result
    assert 'id="maturity-table"' in result and "The same numbers as a table" in result
    assert '<meter min="0" max="4"' in result
    assert reverse("action_plan", kwargs={"company_id": world.a.pk}) in result
    assert reverse("company_report_pdf", kwargs={"company_id": world.a.pk}) in result
    history = text_of(client.get(home(world.a)))
    assert "Submitted self-assessments" in history and url("assessment_result", draft) in history
    assert "Start a new self-assessment" in history


def test_a_submitted_assessment_is_read_only(world: World, draft: Assessment) -> None:
    complete_and_submit(world, draft, {"governance.owner": "1"})
    client = world.client(world.owner)
    response = client.post(step(draft, "governance"), {"q:governance.owner": "0", "action": "continue"}, follow=True)
    assert response.redirect_chain[0][0] == url("assessment_result", draft)
    assert "was submitted and can no longer be changed" in text_of(response)
    assert draft.answers.get().value == "1"
    assert client.get(url("assessment_profile", draft))["Location"] == url("assessment_result", draft)
    assert client.post(url("assessment_submit", draft))["Location"] == url("assessment_result", draft)
    review = text_of(client.get(url("assessment_review", draft)))
    assert "Submit the self-assessment" not in review and "change</a>" not in review


def test_another_companys_assessment_is_not_found_under_a_url(world: World, small_questionnaire: object) -> None:
    theirs = services.start_assessment(world.b, world.other_sme)
    services.save_answers(theirs, {"governance.owner": "1"}, world.other_sme)
    client = world.client(world.owner)
    a_kwargs = {"company_id": world.a.pk, "assessment_id": theirs.pk}
    for name, method in (("assessment_profile", "get"), ("assessment_review", "get"), ("assessment_result", "get"),
                         ("assessment_submit", "post"), ("assessment_comment", "post"), ("assessment_assign", "post")):
        response = getattr(client, method)(reverse(name, kwargs=a_kwargs), {"text": "x", "area": "governance",
                                                                            "member": str(world.member.pk)})
        assert response.status_code == 404, name
    response = client.post(reverse("assessment_step", kwargs={**a_kwargs, "area": "governance"}),
                           {"q:governance.owner": "0"})
    assert response.status_code == 404
    assert theirs.answers.get().value == "1"
    # and B's own people cannot open A's pages
    mine = services.start_assessment(world.a, world.owner)
    assert world.client(world.other_sme).get(url("assessment_review", mine)).status_code == 404


def test_readers_see_but_do_not_answer(world: World, draft: Assessment) -> None:
    advisor = world.client(world.advisor)
    assert advisor.get(home(world.a)).status_code == 200
    assert advisor.get(step(draft, "governance")).status_code == 404
    assert advisor.post(step(draft, "governance"), {"q:governance.owner": "1"}).status_code == 404
    assert advisor.post(url("assessment_submit", draft)).status_code == 404
    assert not draft.answers.exists()
    assert advisor.get(url("assessment_review", draft)).status_code == 200
    pages = set(AuditEvent.objects.filter(actor=world.advisor, action=AuditEvent.Action.VIEW_RESULTS)
                .values_list("detail__page", flat=True))
    assert pages == {"assessment_home", "assessment_review"}
    assert world.client(world.coordinator).get(home(world.a)).status_code == 404  # A does not share


# --- results: benchmark, NIS2, CRA ------------------------------------------------------------------------------

def _peers(world: World, count: int) -> None:
    for i in range(count):
        peer = make_company(world.programme, f"Peer {i}")
        Assessment.objects.create(company=peer, questionnaire_version="test.1", status=Assessment.Status.SUBMITTED,
                                  submitted_at=timezone.now() - timedelta(days=1), overall=float(i))


@pytest.mark.parametrize(("peers", "shown"), [(3, False), (4, True)])
def test_the_benchmark_is_hidden_below_the_minimum_group(world: World, draft: Assessment, peers: int,
                                                         shown: bool) -> None:
    """The group includes the company itself: 3 peers + A = 4 (hidden), 4 peers + A = 5 (shown)."""
    assert settings.AGGREGATE_MIN_GROUP == 5
    _peers(world, peers)
    complete_and_submit(world, draft, {"governance.owner": "1"})  # 4.0, the best of the group
    page = text_of(world.client(world.owner).get(url("assessment_result", draft)))
    if shown:
        assert '<span class="value">90</span> Your position: 90 of 100' in page
        assert "group size: 5" in page
    else:
        assert "The comparison is hidden" in page
        assert "(4 of the 5 needed)" in page
        assert "Your position" not in page


def test_nis2_and_cra_for_a_software_company_in_a_nis2_sector(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    saved = post_profile(client, draft, size_band="medium", employees="60", turnover_meur="12",
                         balance_sheet_meur="8", builds_software="on", places_products="on",
                         nis2_sector="digital_providers", personal_data=["patients"])
    assert saved.status_code == 302
    complete_and_submit(world, draft, {"governance.owner": "1", "governance.risk_review": "0.5",
                                       "development.dependencies": "0.25"})
    page = text_of(client.get(url("assessment_result", draft)))
    assert "Probably an important entity under NIS2" in page
    assert "This is guidance, not legal advice" in page
    assert "Digital providers" in page  # the sector named in the reasoning
    assert "Cyber Resilience Act" in page
    assert "Readiness: 25%" in page  # both CRA items rest on the one answer 0.25
    assert "2026-09-11" in page and "2027-12-11" in page
    assert "No known exploitable vulnerabilities: 25% covered" in page


def test_no_cra_readiness_for_a_company_without_products(world: World, draft: Assessment) -> None:
    complete_and_submit(world, draft, {"governance.owner": "1"})
    page = text_of(world.client(world.owner).get(url("assessment_result", draft)))
    assert "Readiness:" not in page
    assert "Probably not covered by NIS2" in page


def test_a_draft_has_no_result_page_yet(world: World, draft: Assessment) -> None:
    response = world.client(world.owner).get(url("assessment_result", draft))
    assert response.status_code == 302 and response["Location"] == url("assessment_review", draft)


# --- the packaged questionnaire, end to end ---------------------------------------------------------------------

def _first_area_url(response: object) -> str:
    return response["Location"]  # type: ignore[index]


def test_packaged_skip_logic_development_only_for_software_companies(world: World) -> None:
    client = world.client(world.owner)
    client.post(reverse("assessment_start", kwargs={"company_id": world.a.pk}))
    assessment = Assessment.objects.get(company=world.a)
    title = load_questionnaire().areas["development"].text("en").title
    assert title not in text_of(client.get(home(world.a)))  # micro, no software
    assert client.get(step(assessment, "development"))["Location"] == home(world.a)
    micro_total = services.progress(assessment)[1]
    post_profile(client, assessment, builds_software="on")
    assessment.refresh_from_db()
    assert title in text_of(client.get(home(world.a)))
    assert client.get(step(assessment, "development")).status_code == 200
    assert services.progress(assessment)[1] > micro_total


def test_the_whole_packaged_questionnaire_end_to_end(world: World) -> None:
    """Start, profile (a software company in a NIS2 sector), every area answered through the pages, submit,
    then the result page, on the real questionnaire."""
    q = load_questionnaire()
    client = world.client(world.owner)
    client.post(reverse("assessment_start", kwargs={"company_id": world.a.pk}))
    assessment = Assessment.objects.get(company=world.a)
    sector = next(iter(q.nis2_sectors))
    response = post_profile(client, assessment, size_band="small", builds_software="on", places_products="on",
                            nis2_sector=sector)
    assert response.status_code == 302
    profile = Profile.from_dict(Assessment.objects.get(pk=assessment.pk).profile)
    areas = [a.id for a in applicable_areas(q, profile)]
    assert "development" in areas
    questions = applicable_questions(q, profile)
    next_url = response["Location"]
    for number, area in enumerate(areas, start=1):
        assert next_url == step(assessment, area)
        page = client.get(next_url)
        assert page.status_code == 200 and f"Area {number} of {len(areas)}" in text_of(page)
        answers = {f"q:{question.id}": q.scale_of(question).keys[i % 2 + 1]
                   for i, question in enumerate(questions) if question.area == area}
        response = client.post(next_url, {**answers, "action": "continue"})
        assert response.status_code == 302, text_of(response)[:2000]
        next_url = response["Location"]
    assert next_url == url("assessment_review", assessment)
    assert "Every question has an answer" in text_of(client.get(next_url))
    response = client.post(url("assessment_submit", assessment))
    assert response["Location"] == url("assessment_result", assessment)
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.overall is not None
    assert set(assessment.area_scores) == set(areas)
    result = client.get(response["Location"])
    assert result.status_code == 200
    page = text_of(result)
    for area in areas:
        assert q.areas[area].text("en").title in page
    assert "guidance, not legal advice" in page and "Cyber Resilience Act" in page
