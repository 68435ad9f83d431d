"""Answering: the anonymous link and member SMEs (with the pre-fill from the self-assessment)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape

from smecyber.assessments import services as assessment_services
from smecyber.assessments.services import questionnaire
from smecyber.catalog.survey_template import load_survey_template
from smecyber.surveys import bits, services
from smecyber.surveys.answer_views import COOKIE_PREFIX
from smecyber.surveys.models import Campaign, Participation, Response
from smecyber.surveys.prefill import prefill_answers
from tests.reports.assessments import answer_all, submit_assessment
from tests.surveys.conftest import SurveyWorld
from tests.surveys.helpers import as_post, valid_answers


def anonymous_url(campaign: Campaign) -> str:
    return reverse("survey_answer_anonymous", kwargs={"link_token": campaign.link_token})


def member_url(sw: SurveyWorld, campaign: Campaign) -> str:
    return reverse("survey_answer_member", kwargs={"company_id": sw.a.pk, "campaign_id": campaign.pk})


# --- anonymous ------------------------------------------------------------------------------------------------


def test_the_anonymous_form_asks_every_question_with_radios_and_checkboxes(sw: SurveyWorld,
                                                                          campaign: Campaign) -> None:
    response = sw.client().get(anonymous_url(campaign))
    assert response.status_code == 200
    page = response.content.decode()
    template = load_survey_template()
    for q in template.questions.values():
        assert escape(q.texts.get("en").question) in page
        kind = "radio" if q.kind == "single" else "checkbox"
        for oid in q.options:
            assert f'type="{kind}" name="q-{q.id}"' in page
            assert f'value="{oid}"' in page
    assert "Part 1 of 5" in page and "Part 5 of 5" in page
    assert "goes alone" in page  # the exclusive option is explained
    assert 'name="viewport"' in page  # the phone layout of base.html


def test_the_form_follows_the_request_language_from_the_frozen_definition(sw: SurveyWorld,
                                                                         campaign: Campaign) -> None:
    client = sw.client()
    client.post(reverse("set_language"), {"language": "lv"})
    page = client.get(anonymous_url(campaign)).content.decode()
    country = next(q for q in campaign.definition["questions"] if q["id"] == "country")
    assert country["question"]["lv"] in page
    assert country["question"]["en"] not in page


def test_an_anonymous_answer_is_stored_without_anything_that_identifies(sw: SurveyWorld,
                                                                       campaign: Campaign) -> None:
    client = sw.client()
    answers = valid_answers(campaign, country=["LT"], sector=["C"], size_band=["medium"],
                            measures=["E_SECMDUO", "E_SECMVPN"], incidents=["phishing", "invoice_fraud"])
    response = client.post(anonymous_url(campaign), as_post(answers), REMOTE_ADDR="203.0.113.9",
                           HTTP_USER_AGENT="Agent/7.7 (unique-browser-fingerprint)")
    assert response.status_code == 302 and response["Location"] == anonymous_url(campaign) + "?thanks=1"
    row = Response.objects.values().get()
    assert set(row) == {"id", "campaign_id", "submitted_on", "language", "country", "sector", "size_band",
                        "bits0", "bits1", "bits2", "bits3"}
    assert (row["country"], row["sector"], row["size_band"], row["language"]) == ("LT", "C", "medium", "en")
    assert bits.decode(campaign.bits, row) == answers
    flat = " ".join(str(v) for v in row.values())
    assert "203.0.113.9" not in flat and "Agent/7.7" not in flat
    assert Participation.objects.count() == 0
    thanks = client.get(response["Location"])
    assert "Thank you" in thanks.content.decode()


def test_the_cookie_stops_a_second_answer_from_the_same_browser(sw: SurveyWorld, campaign: Campaign) -> None:
    client = sw.client()
    response = client.post(anonymous_url(campaign), as_post(valid_answers(campaign)))
    cookie = response.cookies[COOKIE_PREFIX + campaign.pk.hex]
    assert cookie["httponly"] and cookie["path"] == anonymous_url(campaign) and cookie.value == "1"
    again = client.get(anonymous_url(campaign))
    assert "already answered" in again.content.decode()
    assert client.post(anonymous_url(campaign), as_post(valid_answers(campaign))).status_code == 409
    assert Response.objects.count() == 1
    assert sw.client().post(anonymous_url(campaign), as_post(valid_answers(campaign))).status_code == 302
    assert Response.objects.count() == 2  # another browser: the link cannot tell (documented)


def test_errors_are_shown_per_question_and_the_choices_are_kept(sw: SurveyWorld, campaign: Campaign) -> None:
    answers = valid_answers(campaign, measures=["E_SECMLOG", "none"])
    del answers["sector"]
    response = sw.client().post(anonymous_url(campaign), as_post(answers))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="question-sector-error"' in page and 'id="question-measures-error"' in page
    assert 'id="question-country-error"' not in page
    assert "2 questions need your attention" in page
    assert 'value="E_SECMLOG" checked' in page
    assert Response.objects.count() == 0


def test_unknown_tokens_drafts_and_closed_campaigns(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client()
    assert client.get(reverse("survey_answer_anonymous", kwargs={"link_token": "not-a-token"})).status_code == 404
    assert client.get(anonymous_url(draft)).status_code == 404
    assert client.post(anonymous_url(draft), as_post(valid_answers(draft))).status_code == 404
    services.open_campaign(draft, sw.coordinator)
    services.close_campaign(draft, sw.coordinator)
    closed = client.get(anonymous_url(draft))
    assert closed.status_code == 200 and "This survey is closed" in closed.content.decode()
    client.post(anonymous_url(draft), as_post(valid_answers(draft)))
    assert Response.objects.count() == 0


def test_a_campaign_without_the_anonymous_link_does_not_answer_it(sw: SurveyWorld, draft: Campaign) -> None:
    services.update_campaign(draft, title=draft.title, intro={}, included=draft.included, anonymous_link=False,
                             members=True)
    services.open_campaign(draft, sw.coordinator)
    assert sw.client().get(anonymous_url(draft)).status_code == 404


def test_a_logged_in_member_on_the_anonymous_link_is_pointed_to_the_company_page(sw: SurveyWorld,
                                                                               campaign: Campaign) -> None:
    page = sw.client(sw.member).get(anonymous_url(campaign)).content.decode()
    assert member_url(sw, campaign) in page


def test_the_intro_is_shown_in_the_respondents_language(sw: SurveyWorld, draft: Campaign) -> None:
    services.update_campaign(draft, title=draft.title, intro={"en": "Dear SMEs", "sv": "Hej företag"},
                             included=draft.included)
    services.open_campaign(draft, sw.coordinator)
    client = sw.client()
    assert "Dear SMEs" in client.get(anonymous_url(draft)).content.decode()
    client.post(reverse("set_language"), {"language": "sv"})
    assert "Hej företag" in client.get(anonymous_url(draft)).content.decode()


# --- members --------------------------------------------------------------------------------------------------


def test_company_surveys_lists_open_campaigns_and_whether_the_company_answered(sw: SurveyWorld,
                                                                              campaign: Campaign) -> None:
    url = reverse("company_surveys", kwargs={"company_id": sw.a.pk})
    page = sw.client(sw.member).get(url).content.decode()
    assert "Needs survey 2026" in page and member_url(sw, campaign) in page
    services.submit_response(campaign, valid_answers(campaign), language="en", company=sw.a)
    page = sw.client(sw.owner).get(url).content.decode()
    assert "Your company has answered" in page and member_url(sw, campaign) not in page
    assert sw.client(sw.b_member).get(url).status_code == 404
    assert sw.client(sw.coordinator).get(url).status_code == 404


def test_a_member_answer_stores_a_response_and_a_participation_once(sw: SurveyWorld, campaign: Campaign) -> None:
    client = sw.client(sw.member)
    page = client.get(member_url(sw, campaign)).content.decode()
    assert "stored without your company" in page
    answers = valid_answers(campaign, country=["SE"])
    response = client.post(member_url(sw, campaign), as_post(answers))
    assert response.status_code == 302
    assert response["Location"] == reverse("company_surveys", kwargs={"company_id": sw.a.pk})
    assert Participation.objects.filter(campaign=campaign, company=sw.a).count() == 1
    row = Response.objects.values().get()
    assert "company_id" not in row and "user_id" not in row
    # the owner of the same SME cannot answer again
    owner = sw.client(sw.owner)
    assert "already answered" in owner.get(member_url(sw, campaign)).content.decode()
    assert owner.post(member_url(sw, campaign), as_post(answers)).status_code == 409
    assert Response.objects.count() == 1
    # B answers for itself
    b_url = reverse("survey_answer_member", kwargs={"company_id": sw.b.pk, "campaign_id": campaign.pk})
    assert sw.client(sw.b_member).post(b_url, as_post(answers)).status_code == 302
    assert Response.objects.count() == 2


def test_member_answering_checks_the_company_and_the_campaign(sw: SurveyWorld, campaign: Campaign) -> None:
    assert sw.client(sw.b_member).get(member_url(sw, campaign)).status_code == 404  # not their SME
    assert sw.client(sw.coordinator).get(member_url(sw, campaign)).status_code == 404
    other = services.create_campaign(sw.other_programme, sw.other_coordinator, title="Q survey")
    services.open_campaign(other, sw.other_coordinator)
    url = reverse("survey_answer_member", kwargs={"company_id": sw.a.pk, "campaign_id": other.pk})
    assert sw.client(sw.member).get(url).status_code == 404  # a campaign of another programme
    draft = services.create_campaign(sw.programme, sw.coordinator, title="Not yet")
    url = reverse("survey_answer_member", kwargs={"company_id": sw.a.pk, "campaign_id": draft.pk})
    assert sw.client(sw.member).get(url).status_code == 404
    services.close_campaign(campaign, sw.coordinator)
    closed = sw.client(sw.member).get(member_url(sw, campaign))
    assert "This survey is closed" in closed.content.decode()
    sw.client(sw.member).post(member_url(sw, campaign), as_post(valid_answers(campaign)))
    assert Response.objects.count() == 0 and Participation.objects.count() == 0


def test_member_validation_errors_store_nothing(sw: SurveyWorld, campaign: Campaign) -> None:
    response = sw.client(sw.member).post(member_url(sw, campaign), as_post(valid_answers(campaign, country=[])))
    assert response.status_code == 400 and 'id="question-country-error"' in response.content.decode()
    assert Response.objects.count() == 0 and Participation.objects.count() == 0


# --- pre-fill -------------------------------------------------------------------------------------------------


def test_prefill_without_an_assessment_fills_the_profile_only(sw: SurveyWorld, campaign: Campaign) -> None:
    answers, assessment = prefill_answers(campaign, sw.a)
    assert assessment is None
    assert answers == {"country": ["SE"], "sector": ["J"], "size_band": ["small"], "builds_software": ["yes"]}


def test_prefill_from_the_latest_submitted_assessment(sw: SurveyWorld, campaign: Campaign) -> None:
    # "Mostly" (0.5) or "Yes" everywhere, "No" for two-step login, the separate backup, the security tests and
    # the written policy; "Partly" (0.25) for strong passwords
    low = ("access.mfa", "backups.separate_copy", "updates.security_tests", "development.security_testing",
           "governance.policy")
    draft = answer_all(sw.a, sw.owner, low=low, country="SE", size_band="small", sector="J", builds_software=True)
    assessment_services.save_answers(draft, {"access.passwords": "0.25"}, sw.owner)
    assessment_services.submit(draft, sw.owner)
    answers, assessment = prefill_answers(campaign, sw.a)
    assert assessment is not None and assessment.pk == draft.pk
    assert answers["measures"] == ["E_SECMUIBM", "E_SECMDENC", "E_SECMNAC", "E_SECMVPN", "E_SECMSMS", "E_SECMLOG",
                                   "E_SECMRASS"]
    assert answers["awareness"] == ["E_SECAWVTGI", "E_SECAWCTP", "E_SECAWCONT"]
    assert answers["documents"] == ["no"]
    assert answers["builds_software"] == ["yes"]
    assert set(answers) == {"country", "sector", "size_band", "builds_software", "measures", "awareness",
                            "documents"}  # the assessment says nothing about incidents or support needs


def test_prefill_uses_the_latest_submitted_assessment_only(sw: SurveyWorld, campaign: Campaign) -> None:
    submit_assessment(sw.a, sw.owner, country="SE", size_band="small", sector="J")
    everything = [qid for qid, question in questionnaire().questions.items() if question.eurostat]
    answer_all(sw.a, sw.owner, low=everything, country="SE", size_band="small", sector="J")  # a newer draft
    answers, _ = prefill_answers(campaign, sw.a)
    assert "E_SECMVPN" in answers["measures"]


def test_prefill_chooses_none_only_when_every_measure_was_asked(sw: SurveyWorld, campaign: Campaign) -> None:
    everything = [qid for qid, question in questionnaire().questions.items() if question.eurostat]
    submit_assessment(sw.a, sw.owner, low=everything, country="SE", size_band="small", sector="J")
    answers, _ = prefill_answers(campaign, sw.a)
    assert answers["measures"] == ["none"] and answers["awareness"] == ["none"] and answers["documents"] == ["no"]
    # a micro company is not asked about every measure: nothing in use is then no reason to say "none"
    sw.b.size_band = "micro"
    sw.b.save()
    submit_assessment(sw.b, sw.b_member, low=everything, country="LV", size_band="micro", sector="G")
    answers, _ = prefill_answers(campaign, sw.b)
    assert "measures" not in answers and "documents" not in answers


def test_the_prefill_page_explains_and_stores_nothing_until_submitted(sw: SurveyWorld, campaign: Campaign) -> None:
    submit_assessment(sw.a, sw.owner, country="SE", size_band="small", sector="J")
    client = sw.client(sw.member)
    page = client.get(member_url(sw, campaign)).content.decode()
    assert "Fill in from our self-assessment" in page and "nothing is sent until" in page
    page = client.get(member_url(sw, campaign) + "?prefill=1").content.decode()
    assert "Nothing is sent until" in page
    assert 'name="q-country" id="question-country-1" value="SE" checked' in page
    assert 'value="E_SECMSPSW" checked' in page
    assert Response.objects.count() == 0 and Participation.objects.count() == 0
