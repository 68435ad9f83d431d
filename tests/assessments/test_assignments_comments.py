"""Asking a colleague to answer an area (a member, or someone invited by email) and the review's comments (the
SME's people and an advisor with consent; never a coordinator or another SME)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AdvisorConsent, AuditEvent, Invitation, Membership
from smecyber.assessments import services
from smecyber.assessments.models import AreaAssignment, Assessment, Comment

from .conftest import World, make_user


@pytest.fixture
def draft(world: World, small_questionnaire: object) -> Assessment:
    assessment = services.start_assessment(world.a, world.owner)
    services.save_profile(assessment, {"size_band": "small"})  # governance: two questions
    return assessment


def url(name: str, assessment: Assessment, **extra: str) -> str:
    return reverse(name, kwargs={"company_id": assessment.company_id, "assessment_id": assessment.pk, **extra})


def home(assessment: Assessment) -> str:
    return reverse("assessment_home", kwargs={"company_id": assessment.company_id})


def text_of(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


# --- assignments --------------------------------------------------------------------------------------------

def test_the_owner_asks_a_member_to_answer_an_area(world: World, draft: Assessment) -> None:
    response = world.client(world.owner).post(url("assessment_assign", draft),
                                              {"area": "governance", "member": str(world.member.pk)})
    assert response.status_code == 302 and response["Location"] == home(draft)
    assignment = AreaAssignment.objects.get(assessment=draft)
    assert (assignment.area, assignment.assignee, assignment.invited_by) == ("governance", world.member, world.owner)
    assert not Invitation.objects.filter(email=world.member.email).exists()
    [email] = mail.outbox
    assert email.to == [world.member.email]
    assert "Governance" in email.subject
    assert "http://" in email.body and url("assessment_step", draft, area="governance") in email.body
    # the member sees what they were asked to do; the owner sees who was asked
    assert "You were asked to answer: Governance" in text_of(world.client(world.member).get(home(draft)))
    owner_page = text_of(world.client(world.owner).get(home(draft)))
    assert "You were asked to answer" not in owner_page
    assert "Asked to answer: member@alfa.test" in owner_page
    # the assignment is completed when the area's questions have answers
    world.client(world.member).post(url("assessment_step", draft, area="governance"),
                                    {"q:governance.owner": "1", "q:governance.risk_review": "0.5"})
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    assert "done, thank you" in text_of(world.client(world.member).get(home(draft)))


def test_the_owner_invites_someone_by_email_to_answer_an_area(world: World, draft: Assessment) -> None:
    response = world.client(world.owner).post(url("assessment_assign", draft),
                                              {"area": "governance", "email": "it-person@alfa.test"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(company=world.a, email="it-person@alfa.test")
    assert invitation.role == Membership.Role.MEMBER
    assignment = AreaAssignment.objects.get(assessment=draft)
    assert (assignment.assignee, assignment.email) == (None, "it-person@alfa.test")
    assert sorted(len(m.to) for m in mail.outbox) == [1, 1]
    assert all(m.to == ["it-person@alfa.test"] for m in mail.outbox)
    assigned = next(m for m in mail.outbox if "Governance" in m.subject)
    assert "invitation" in assigned.body and url("assessment_step", draft, area="governance") in assigned.body
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_SENT, target="it-person@alfa.test").exists()
    # a second area: one more assignment email, the invitation (and its link) stays as it was
    services.save_profile(draft, {"builds_software": True, "places_products": True})
    world.client(world.owner).post(url("assessment_assign", draft), {"area": "development",
                                                                     "email": "it-person@alfa.test"})
    assert Invitation.objects.get(company=world.a, email="it-person@alfa.test").token == invitation.token
    assert len(mail.outbox) == 3 and AreaAssignment.objects.count() == 2
    # once they joined, the note is on their overview
    newcomer = make_user("it-person@alfa.test")
    Membership.objects.create(user=newcomer, company=world.a, role=Membership.Role.MEMBER)
    page = text_of(world.client(newcomer).get(home(draft)))
    assert "You were asked to answer: Governance" in page and "You were asked to answer: Secure development" in page
    # asking again is not repeated
    again = world.client(world.owner).post(url("assessment_assign", draft),
                                           {"area": "governance", "email": "IT-person@alfa.test"}, follow=True)
    assert "was already asked" in text_of(again)
    assert AreaAssignment.objects.count() == 2


@pytest.mark.parametrize("data", [
    {"area": "governance"},  # nobody
    {"area": "governance", "member": "1", "email": "x@alfa.test"},  # both
    {"area": "development", "email": "x@alfa.test"},  # not an area of this profile
    {"area": "governance", "email": "not an address"},
])
def test_an_incomplete_assignment_is_refused(world: World, draft: Assessment, data: dict[str, str]) -> None:
    response = world.client(world.owner).post(url("assessment_assign", draft), data)
    assert response.status_code == 400
    assert "The area was not assigned" in text_of(response)
    assert not AreaAssignment.objects.exists() and not mail.outbox


def test_only_owners_assign(world: World, draft: Assessment) -> None:
    for user in (world.member, world.advisor, world.other_sme):
        response = world.client(user).post(url("assessment_assign", draft),
                                           {"area": "governance", "email": "x@alfa.test"})
        assert response.status_code == 404
    assert not AreaAssignment.objects.exists() and not mail.outbox
    assert "Ask a colleague" not in text_of(world.client(world.member).get(home(draft)))


# --- comments -------------------------------------------------------------------------------------------------

def test_an_advisor_with_consent_comments_on_a_question(world: World, draft: Assessment) -> None:
    client = world.client(world.advisor)
    review = text_of(client.get(url("assessment_review", draft)))
    assert "Comment on this question" in review and "Submit the self-assessment" not in review
    response = client.post(url("assessment_comment", draft),
                           {"question": "governance.owner", "text": "Name a deputy for holidays too."})
    assert response.status_code == 302
    assert response["Location"] == url("assessment_review", draft) + "#q-governance-owner"
    comment = Comment.objects.get()
    assert (comment.question, comment.author, comment.author_email) == (
        "governance.owner", world.advisor, "advisor@cluster.test")
    event = AuditEvent.objects.get(actor=world.advisor, detail__page="assessment_comment")
    assert event.action == AuditEvent.Action.VIEW_RESULTS and event.company == world.a
    assert event.detail["question"] == "governance.owner"
    # the SME sees it on the review and under the question while answering
    assert "Name a deputy for holidays too." in text_of(world.client(world.owner).get(url("assessment_review", draft)))
    step_page = text_of(world.client(world.member).get(url("assessment_step", draft, area="governance")))
    assert "Name a deputy for holidays too." in step_page and "advisor@cluster.test" in step_page


def test_the_sme_comments_on_the_whole_assessment_without_an_audit_event(world: World, draft: Assessment) -> None:
    response = world.client(world.member).post(url("assessment_comment", draft), {"text": "Ask Jānis about backups."})
    assert response["Location"] == url("assessment_review", draft) + "#comments"
    assert Comment.objects.get().question == ""
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS).exists()
    page = text_of(world.client(world.advisor).get(url("assessment_review", draft)))
    assert "Ask Jānis about backups." in page


def test_comments_on_a_submitted_assessment_are_still_possible(world: World, draft: Assessment) -> None:
    services.save_answers(draft, {"governance.owner": "1", "governance.risk_review": "1"}, world.owner)
    services.submit(draft, world.owner)
    response = world.client(world.advisor).post(url("assessment_comment", draft), {"text": "Well done."})
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_a_bad_comment_is_refused(world: World, draft: Assessment) -> None:
    client = world.client(world.owner)
    assert client.post(url("assessment_comment", draft), {"text": "x", "question": "no.such"}).status_code == 400
    assert client.post(url("assessment_comment", draft), {"text": ""}).status_code == 400
    assert client.post(url("assessment_comment", draft), {"text": "x" * 4001}).status_code == 400
    assert not Comment.objects.exists()


def test_coordinators_other_smes_and_former_advisors_cannot_comment(world: World, draft: Assessment) -> None:
    world.a.shared_with_programme_at = timezone.now()  # the coordinator may read A's results now ...
    world.a.save()
    coordinator = world.client(world.coordinator)
    assert coordinator.get(url("assessment_review", draft)).status_code == 200
    assert "Comment on this question" not in text_of(coordinator.get(url("assessment_review", draft)))
    assert coordinator.post(url("assessment_comment", draft), {"text": "x"}).status_code == 404  # ... not comment
    assert world.client(world.other_sme).post(url("assessment_comment", draft), {"text": "x"}).status_code == 404
    AdvisorConsent.objects.filter(advisor=world.advisor).update(revoked_at=timezone.now(), revoked_by=world.owner)
    assert world.client(world.advisor).post(url("assessment_comment", draft), {"text": "x"}).status_code == 404
    assert not Comment.objects.exists()
