"""The self-assessment's storage rules: one draft per company, pre-filled profile, validated answers, progress
with skip logic, submission and the peer group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from smecyber.accounts.models import Programme, SupportOrganisation
from smecyber.assessments import services
from smecyber.assessments.models import AreaAssignment, Assessment

from .conftest import World, make_company

pytestmark = pytest.mark.usefixtures("small_questionnaire")


def submitted(company, profile: dict, overall: float | None, *, days_ago: int = 1) -> Assessment:  # type: ignore[no-untyped-def]
    """A submitted assessment as history (stored directly: only its stored figures matter here)."""
    when = timezone.now() - timedelta(days=days_ago)
    return Assessment.objects.create(company=company, questionnaire_version="test.1", profile=profile,
                                     status=Assessment.Status.SUBMITTED, submitted_at=when, started_at=when,
                                     overall=overall)


def test_start_prefills_the_profile_from_the_company(world: World) -> None:
    world.a.size_band, world.a.builds_software = "small", True
    world.a.save()
    assessment = services.start_assessment(world.a, world.owner)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.questionnaire_version == "test.1"
    assert assessment.started_by == world.owner
    assert assessment.profile["country"] == "LV"
    assert assessment.profile["sector"] == "J"
    assert assessment.profile["size_band"] == "small"
    assert assessment.profile["builds_software"] is True
    assert assessment.last_step == services.PROFILE_STEP


def test_start_takes_the_rest_of_the_last_profile_but_no_answers(world: World) -> None:
    old = submitted(world.a, {"country": "LV", "sector": "J", "size_band": "micro", "nis2_sector": "digital_providers",
                              "places_products": True, "employees": 7, "personal_data": ["patients"]}, 2.0)
    old.answers.create(question="governance.owner", value="1")
    world.a.size_band = "small"  # changed on the company since: the company's value wins
    world.a.save()
    assessment = services.start_assessment(world.a, world.owner)
    profile = services.profile_of(assessment)
    assert profile.size_band == "small"
    assert profile.nis2_sector == "digital_providers"
    assert profile.places_products is True
    assert profile.employees == 7
    assert profile.personal_data == frozenset({"patients"})
    assert not assessment.answers.exists()


def test_one_draft_per_company(world: World) -> None:
    first = services.start_assessment(world.a, world.owner)
    assert services.start_assessment(world.a, world.member) == first
    assert Assessment.objects.filter(company=world.a, status=Assessment.Status.DRAFT).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(company=world.a, questionnaire_version="x")
    other = services.start_assessment(world.b, world.other_sme)
    assert other != first


def test_answers_are_validated_all_or_nothing(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    with pytest.raises(services.InvalidAnswer, match="not a question"):
        services.save_answers(assessment, {"governance.owner": "1", "governance.nope": "1"}, world.owner)
    with pytest.raises(services.InvalidAnswer, match="not one of the answers"):
        services.save_answers(assessment, {"governance.owner": "0.5"}, world.owner)  # yes/no has no 0.5
    with pytest.raises(services.InvalidAnswer, match="does not apply"):  # micro: no risk review question
        services.save_answers(assessment, {"governance.risk_review": "1"}, world.owner)
    with pytest.raises(services.InvalidAnswer, match="not a question of this step"):
        services.save_answers(assessment, {"governance.owner": "1"}, world.owner, area="development")
    assert not assessment.answers.exists()


def test_answers_are_upserted_with_who_and_where_to_continue(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    before = assessment.updated_at
    services.save_answers(assessment, {"governance.owner": "0"}, world.owner, step="review")
    services.save_answers(assessment, {"governance.owner": "1"}, world.member)
    answer = assessment.answers.get()
    assert (answer.question, answer.value, answer.answered_by) == ("governance.owner", "1", world.member)
    assessment.refresh_from_db()
    assert assessment.updated_at > before
    assert assessment.last_step == "governance"  # default: the area of the answers


def test_progress_follows_the_profile_and_keeps_answers_that_no_longer_count(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    assert services.progress(assessment) == (0, 1)  # micro, no software: only governance.owner
    assert [a.id for a in services.applicable_areas(assessment)] == ["governance"]
    services.save_profile(assessment, {"size_band": "small", "builds_software": True, "places_products": True})
    assert services.progress(assessment) == (0, 3)
    assert [a.id for a in services.applicable_areas(assessment)] == ["governance", "development"]
    services.save_answers(assessment, {"development.dependencies": "0.5", "governance.owner": "na"}, world.owner)
    assert services.progress(assessment) == (2, 3)  # "not applicable" is an answer
    services.save_profile(assessment, {"size_band": "micro", "builds_software": False, "places_products": False})
    assert services.progress(assessment) == (1, 1)
    assert services.uncounted_answers(assessment) == ["development.dependencies"]
    assert assessment.answers.count() == 2  # kept


def test_submit_refuses_while_questions_are_open(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    services.save_profile(assessment, {"builds_software": True, "places_products": True})
    services.save_answers(assessment, {"governance.owner": "1"}, world.owner)
    with pytest.raises(services.IncompleteAssessment) as refused:
        services.submit(assessment, world.owner)
    assert refused.value.areas == ["development"]
    assert "Secure development" in str(refused.value)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_submit_stores_scores_and_updates_the_company(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    services.save_profile(assessment, {"size_band": "small", "sector": "C", "builds_software": True,
                                       "places_products": True, "country": "EE"})
    services.save_answers(assessment, {"governance.owner": "1", "governance.risk_review": "0.5",
                                       "development.dependencies": "0"}, world.owner)
    services.submit(assessment, world.member)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == world.member and assessment.submitted_at is not None
    # governance: 4 * (3*1 + 2*0.5) / 5 = 3.2; development: 0; overall 4 * 4 / 7 = 2.3
    assert assessment.area_scores == {"governance": 3.2, "development": 0.0}
    assert assessment.overall == 2.3
    world.a.refresh_from_db()
    # the company record follows, country too: the next draft starts from it and the peer group uses it
    assert (world.a.size_band, world.a.sector, world.a.builds_software, world.a.country) == ("small", "C", True, "EE")
    assert services.latest_submitted(world.a) == assessment
    assert services.current_draft(world.a) is None


def test_a_submitted_assessment_is_read_only(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    services.save_answers(assessment, {"governance.owner": "1"}, world.owner)
    services.submit(assessment, world.owner)
    with pytest.raises(services.AssessmentClosed):
        services.save_answers(assessment, {"governance.owner": "0"}, world.owner)
    with pytest.raises(services.AssessmentClosed):
        services.save_profile(assessment, {"size_band": "large"})
    with pytest.raises(services.AssessmentClosed):
        services.submit(assessment, world.owner)
    assert assessment.answers.get().value == "1"
    assert services.start_assessment(world.a, world.owner) != assessment  # a new draft may start


def test_an_assignment_is_completed_when_its_area_is_answered(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    services.save_profile(assessment, {"size_band": "small"})
    assignment = AreaAssignment.objects.create(assessment=assessment, area="governance", assignee=world.member,
                                               email=world.member.email, invited_by=world.owner)
    services.save_answers(assessment, {"governance.owner": "1"}, world.member)
    assignment.refresh_from_db()
    assert assignment.completed_at is None  # the risk review is still open
    services.save_answers(assessment, {"governance.risk_review": "0.25"}, world.member)
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    assert services.assignments_for(world.member, assessment) == [assignment]
    assert services.assignments_for(world.owner, assessment) == []


def test_group_scores_take_the_latest_of_each_similar_sme_on_the_platform(world: World) -> None:
    org = SupportOrganisation.objects.create(name="Another cluster", country="LV")
    elsewhere = Programme.objects.create(organisation=org, name="Another programme")
    profile = {"country": "LV", "sector": "J", "size_band": "micro"}
    submitted(world.a, profile, 1.0, days_ago=10)
    submitted(world.a, profile, 2.0, days_ago=2)  # A's latest
    services.start_assessment(world.a, world.owner)  # a draft never counts
    peer = make_company(elsewhere, "Peer in another programme")
    submitted(peer, profile, 3.5)
    unscored = make_company(world.programme, "Peer without a score")
    submitted(unscored, profile, None)
    for name, kwargs in {"other sector": {"sector": "C"}, "other country": {"country": "EE"},
                         "other size": {"size_band": "small"}}.items():
        submitted(make_company(world.programme, name, **kwargs), profile, 4.0)
    assert sorted(services.group_scores(world.a)) == [2.0, 3.5]


def test_a_bad_profile_is_refused(world: World) -> None:
    assessment = services.start_assessment(world.a, world.owner)
    for bad in ({"size_band": "huge"}, {"nis2_sector": "no_such_sector"}, {"employees": -1},
                {"personal_data": ["pets"]}):
        with pytest.raises(services.AssessmentError):
            services.save_profile(assessment, bad)
    assessment.refresh_from_db()
    assert services.profile_of(assessment).size_band == "micro"
