"""Campaign services: bits, creating / editing / opening / closing, validation and storing responses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smecyber.accounts.models import Company
from smecyber.catalog.survey_template import load_survey_template
from smecyber.surveys import bits, services
from smecyber.surveys.models import BIT_COLUMNS, BITS_PER_COLUMN, MAX_OPTIONS, Campaign, Participation, Response
from tests.surveys.conftest import SurveyWorld
from tests.surveys.helpers import valid_answers

# --- bits -----------------------------------------------------------------------------------------------------


def test_every_option_of_the_template_gets_its_own_position_in_definition_order() -> None:
    definition = load_survey_template().as_definition()
    assigned = bits.assign_bits(definition)
    expected = [f"{q['id']}.{o['id']}" for q in definition["questions"] for o in q["options"]]
    assert list(assigned) == expected
    assert sorted(assigned.values()) == list(range(len(expected)))
    assert len(expected) <= MAX_OPTIONS


def test_bits_round_trip_for_every_option_alone_and_all_together() -> None:
    definition = load_survey_template().as_definition()
    assigned = bits.assign_bits(definition)
    for name, position in assigned.items():
        qid, oid = name.split(".")
        row = bits.encode(assigned, {qid: [oid]})
        column, value = BIT_COLUMNS[position // BITS_PER_COLUMN], 1 << (position % BITS_PER_COLUMN)
        assert row == {c: (value if c == column else 0) for c in BIT_COLUMNS}, name
        assert bits.decode(assigned, row) == {qid: [oid]}, name
    everything: dict[str, list[str]] = {}
    for q in definition["questions"]:
        everything[q["id"]] = [o["id"] for o in q["options"]]
    row = bits.encode(assigned, everything)
    assert all(0 <= v < 2 ** BITS_PER_COLUMN for v in row.values())  # 40 bits a column: sums stay in 63 bits
    assert bits.decode(assigned, row) == everything


def test_bits_refuse_more_options_than_a_response_can_store() -> None:
    definition = {"questions": [{"id": "q", "options": [{"id": f"o{i}"} for i in range(MAX_OPTIONS + 1)]}]}
    with pytest.raises(bits.TooManyOptions):
        bits.assign_bits(definition)


# --- campaigns ------------------------------------------------------------------------------------------------


def test_create_freezes_the_template_with_every_language_and_question(sw: SurveyWorld, draft: Campaign) -> None:
    draft.refresh_from_db()
    template = load_survey_template()
    assert draft.status == Campaign.Status.DRAFT and draft.created_by == sw.coordinator
    assert draft.template_version == template.version
    assert draft.included == list(template.questions)
    assert draft.bits == bits.assign_bits(template.as_definition())
    country = next(q for q in draft.definition["questions"] if q["id"] == "country")
    assert set(country["question"]) == {"en", "sv", "lv", "lt"}
    assert [q.id for q in services.questions_of(draft)] == list(template.questions)


def test_update_changes_a_draft_but_never_drops_the_profile(sw: SurveyWorld, draft: Campaign) -> None:
    services.update_campaign(draft, title=" Survey 2026 ", intro={"en": "Hello", "sv": "Hej", "lv": " "},
                             included=["country", "sector", "size_band", "builds_software", "measures", "format"])
    draft.refresh_from_db()
    assert draft.title == "Survey 2026" and draft.intro == {"en": "Hello", "sv": "Hej"}
    assert [q.id for q in services.questions_of(draft)] == [
        "country", "sector", "size_band", "builds_software", "measures", "format"]
    assert services.intro_of(draft, "sv") == "Hej" and services.intro_of(draft, "lt") == "Hello"
    with pytest.raises(services.SurveyError, match="profile questions"):
        services.update_campaign(draft, title="x", intro={}, included=["sector", "size_band", "measures"])
    with pytest.raises(services.SurveyError):
        services.update_campaign(draft, title="x", intro={}, included=[*draft.included, "favourite_colour"])
    with pytest.raises(services.SurveyError):
        services.update_campaign(draft, title="   ", intro={}, included=draft.included)
    with pytest.raises(services.SurveyError):
        services.update_campaign(draft, title="x", intro={"fr": "Bonjour"}, included=draft.included)
    with pytest.raises(services.SurveyError):
        services.update_campaign(draft, title="x", intro={}, included=draft.included, anonymous_link=False,
                                 members=False)


def test_only_a_draft_can_be_edited_and_closing_is_final(sw: SurveyWorld, draft: Campaign) -> None:
    with pytest.raises(services.SurveyError):
        services.close_campaign(draft, sw.coordinator)  # a draft is not closed: it was never open
    services.open_campaign(draft, sw.coordinator)
    assert draft.status == Campaign.Status.OPEN and draft.opened_at is not None
    with pytest.raises(services.CampaignNotDraft):
        services.update_campaign(draft, title="Changed", intro={}, included=draft.included)
    with pytest.raises(services.SurveyError):
        services.open_campaign(draft, sw.coordinator)
    services.close_campaign(draft, sw.coordinator)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.CLOSED and draft.closed_at is not None
    with pytest.raises(services.SurveyError):
        services.open_campaign(draft, sw.coordinator)
    with pytest.raises(services.SurveyError):
        services.close_campaign(draft, sw.coordinator)
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.CLOSED


# --- validation -----------------------------------------------------------------------------------------------


def errors_of(campaign: Campaign, answers: dict[str, list[str]]) -> dict[str, str]:
    with pytest.raises(services.InvalidAnswers) as caught:
        services.submit_response(campaign, answers, language="en")
    assert Response.objects.count() == 0
    return caught.value.errors


def test_every_included_question_must_be_answered(campaign: Campaign) -> None:
    answers = valid_answers(campaign)
    del answers["measures"]
    answers["sector"] = []
    assert set(errors_of(campaign, answers)) == {"measures", "sector"}
    assert set(errors_of(campaign, {})) == set(campaign.included)


def test_single_questions_take_exactly_one_known_option(campaign: Campaign) -> None:
    assert set(errors_of(campaign, valid_answers(campaign, country=["SE", "LV"]))) == {"country"}
    assert set(errors_of(campaign, valid_answers(campaign, country=["XX"]))) == {"country"}
    assert set(errors_of(campaign, valid_answers(campaign, documents=["maybe"]))) == {"documents"}
    assert set(errors_of(campaign, {**valid_answers(campaign), "documents": 1})) == {"documents"}  # type: ignore[dict-item]


def test_multi_questions_take_known_options_and_the_exclusive_one_only_alone(campaign: Campaign) -> None:
    assert set(errors_of(campaign, valid_answers(campaign, measures=["E_SECMVPN", "none"]))) == {"measures"}
    assert set(errors_of(campaign, valid_answers(campaign, incidents=["phishing", "bogus"]))) == {"incidents"}
    response = services.submit_response(campaign, valid_answers(campaign, measures=["none"]), language="en")
    assert bits.decode(campaign.bits, response)["measures"] == ["none"]


def test_answers_to_questions_the_campaign_does_not_ask_are_refused(sw: SurveyWorld, draft: Campaign) -> None:
    services.update_campaign(draft, title=draft.title, intro={},
                             included=["country", "sector", "size_band", "builds_software", "measures"])
    services.open_campaign(draft, sw.coordinator)
    answers = valid_answers(draft)
    assert "format" not in answers
    services.submit_response(draft, answers, language="en")
    assert set(errors_of_after(draft, {**answers, "format": ["webinar"]})) == {"format"}


def errors_of_after(campaign: Campaign, answers: dict[str, list[str]]) -> dict[str, str]:
    with pytest.raises(services.InvalidAnswers) as caught:
        services.submit_response(campaign, answers, language="en")
    return caught.value.errors


# --- responses ------------------------------------------------------------------------------------------------


def test_a_response_stores_dimensions_bits_language_and_nothing_else(campaign: Campaign) -> None:
    answers = valid_answers(campaign, country=["LV"], sector=["J"], size_band=["micro"],
                            measures=["E_SECMSPSW", "E_SECMOSBU"], incidents=["none"])
    response = services.submit_response(campaign, answers, language="lv-LV")
    row = Response.objects.get(pk=response.pk)
    assert (row.country, row.sector, row.size_band, row.language) == ("LV", "J", "micro", "lv")
    assert bits.decode(campaign.bits, row) == {q: answers[q] for q in campaign.included}
    fields = {f.name for f in Response._meta.concrete_fields}
    assert fields == {"id", "campaign", "submitted_on", "language", "country", "sector", "size_band", *BIT_COLUMNS}
    assert Participation.objects.count() == 0  # an anonymous answer leaves no trace of who answered


def test_a_member_answers_once_and_the_participation_does_not_point_at_the_response(
        sw: SurveyWorld, campaign: Campaign) -> None:
    services.submit_response(campaign, valid_answers(campaign), language="en", company=sw.a)
    participation = Participation.objects.get()
    assert (participation.campaign_id, participation.company_id) == (campaign.pk, sw.a.pk)
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "campaign", "company"}
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(campaign, valid_answers(campaign), language="en", company=sw.a)
    assert Response.objects.count() == 1 and Participation.objects.count() == 1
    services.submit_response(campaign, valid_answers(campaign), language="en", company=sw.b)
    assert Response.objects.count() == 2


def test_a_failed_member_answer_stores_neither_row(sw: SurveyWorld, campaign: Campaign) -> None:
    with pytest.raises(services.InvalidAnswers):
        services.submit_response(campaign, {}, language="en", company=sw.a)
    assert Participation.objects.count() == 0 and Response.objects.count() == 0


def test_draft_and_closed_campaigns_refuse_answers(sw: SurveyWorld, draft: Campaign) -> None:
    with pytest.raises(services.CampaignNotOpen):
        services.submit_response(draft, valid_answers(draft), language="en")
    services.open_campaign(draft, sw.coordinator)
    services.close_campaign(draft, sw.coordinator)
    with pytest.raises(services.CampaignClosed):
        services.submit_response(draft, valid_answers(draft), language="en")
    with pytest.raises(services.CampaignClosed):
        services.submit_response(draft, valid_answers(draft), language="en", company=sw.a)
    assert Response.objects.count() == 0 and Participation.objects.count() == 0


def test_a_stale_open_campaign_object_cannot_answer_after_closing(sw: SurveyWorld, campaign: Campaign) -> None:
    stale = Campaign.objects.get(pk=campaign.pk)
    services.close_campaign(campaign, sw.coordinator)
    assert stale.status == Campaign.Status.OPEN
    with pytest.raises(services.CampaignClosed):
        services.submit_response(stale, valid_answers(stale), language="en")
    assert Response.objects.count() == 0


def test_distribution_channels_are_respected(sw: SurveyWorld, draft: Campaign) -> None:
    services.update_campaign(draft, title=draft.title, intro={}, included=draft.included, anonymous_link=False,
                             members=True)
    services.open_campaign(draft, sw.coordinator)
    with pytest.raises(services.CampaignNotOpen):
        services.submit_response(draft, valid_answers(draft), language="en")
    outsider = Company.objects.create(programme=sw.other_programme, name="Gamma OY",
                                                                country="FI")
    with pytest.raises(services.CampaignNotOpen):
        services.submit_response(draft, valid_answers(draft), language="en", company=outsider)
    services.submit_response(draft, valid_answers(draft), language="en", company=sw.a)


def test_storing_a_member_answer_takes_few_queries(sw: SurveyWorld, campaign: Campaign) -> None:
    with CaptureQueriesContext(connection) as queries:
        services.submit_response(campaign, valid_answers(campaign), language="en", company=sw.a)
    assert len(queries) <= 8
