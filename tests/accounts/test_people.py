"""Members and roles, advisor consent, sharing with the programme; members see it all read-only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from smecyber.accounts.models import AdvisorConsent, AuditEvent, Membership
from smecyber.accounts.permissions import can_view_company

from .helpers import World, client_for, make_user


def actions(world: World, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(company=world.a, action=action))


@pytest.mark.django_db
def test_granting_and_revoking_consent_changes_what_the_advisor_sees(world: World) -> None:
    owner = client_for(world.owner)
    assert not can_view_company(world.advisor, world.a)

    response = owner.post(reverse("advisor_grant", args=[world.a.pk]), {"email": "ADVISOR@cluster.test"})
    assert response.status_code == 302
    assert can_view_company(world.advisor, world.a)
    assert not can_view_company(world.advisor, world.b)
    [granted] = actions(world, AuditEvent.Action.CONSENT_GRANTED)
    assert (granted.actor, granted.target) == (world.owner, world.advisor.email)
    advising = client_for(world.advisor).get(reverse("advisor_home")).content.decode()
    assert world.a.name in advising and world.b.name not in advising

    consent = AdvisorConsent.objects.get(company=world.a, advisor=world.advisor)
    response = owner.post(reverse("consent_revoke", args=[world.a.pk, consent.pk]))
    assert response.status_code == 302
    assert not can_view_company(world.advisor, world.a)
    assert actions(world, AuditEvent.Action.CONSENT_REVOKED)[0].target == world.advisor.email
    consent.refresh_from_db()
    assert consent.revoked_by == world.owner  # the row stays: it is the consent log
    page = owner.get(reverse("company_people", args=[world.a.pk])).content.decode()
    assert "Past access" in page and world.advisor.email in page
    assert world.a.name not in client_for(world.advisor).get(reverse("advisor_home")).content.decode()


@pytest.mark.django_db
def test_consent_only_for_advisors_of_the_programme_with_one_answer_for_every_refusal(world: World) -> None:
    make_user("not-an-advisor@cluster.test")
    owner = client_for(world.owner)
    answers = []
    for email in ("not-an-advisor@cluster.test", "nobody@nowhere.test", world.coordinator.email):
        response = owner.post(reverse("advisor_grant", args=[world.a.pk]), {"email": email})
        assert response.status_code == 400
        error = re.search(r'<ul class="errorlist" id="advisor_email_error">(.*?)</ul>', response.content.decode(), re.S)
        answers.append(error.group(1))
    assert "No advisor of the programme" in answers[0]
    assert answers[0] == answers[1] == answers[2]  # nothing tells whether the address has an account
    assert not AdvisorConsent.objects.exists()


@pytest.mark.django_db
def test_sharing_toggle(world: World) -> None:
    owner = client_for(world.owner)
    page = owner.get(reverse("company_people", args=[world.a.pk])).content.decode()
    assert "Not shared." in page and "anonymised figures" in page

    owner.post(reverse("company_sharing", args=[world.a.pk]), {"share": "on"})
    world.a.refresh_from_db()
    assert world.a.shared_with_programme_at is not None
    assert can_view_company(world.coordinator, world.a)
    assert "Shared." in owner.get(reverse("company_people", args=[world.a.pk])).content.decode()

    owner.post(reverse("company_sharing", args=[world.a.pk]), {"share": "off"})
    world.a.refresh_from_db()
    assert world.a.shared_with_programme_at is None
    assert not can_view_company(world.coordinator, world.a)
    assert len(actions(world, AuditEvent.Action.SHARING_ON)) == 1
    assert len(actions(world, AuditEvent.Action.SHARING_OFF)) == 1


@pytest.mark.django_db
def test_member_sees_the_page_read_only_and_cannot_manage(world: World) -> None:
    member = client_for(world.member)
    page = member.get(reverse("company_people", args=[world.a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.owner.email in html
    for name in ("member_invite", "advisor_grant", "company_sharing"):
        assert reverse(name, args=[world.a.pk]) not in html
    owner_membership = Membership.objects.get(user=world.owner, company=world.a)
    posts = [
        (reverse("member_invite", args=[world.a.pk]), {"email": "x@alfa.test", "role": "member"}),
        (reverse("advisor_grant", args=[world.a.pk]), {"email": world.advisor.email}),
        (reverse("company_sharing", args=[world.a.pk]), {"share": "on"}),
        (reverse("member_role", args=[world.a.pk, owner_membership.pk]), {"role": "member"}),
        (reverse("member_remove", args=[world.a.pk, owner_membership.pk]), {}),
    ]
    for url, data in posts:
        assert member.post(url, data).status_code == 404, url
    world.a.refresh_from_db()
    owner_membership.refresh_from_db()
    assert owner_membership.role == Membership.Role.OWNER
    assert world.a.shared_with_programme_at is None and not AdvisorConsent.objects.exists()
    # and people outside the SME do not see the page at all
    for outsider in (world.advisor, world.coordinator, world.other_sme):
        assert client_for(outsider).get(reverse("company_people", args=[world.a.pk])).status_code == 404


@pytest.mark.django_db
def test_roles_change_and_the_sme_always_keeps_an_owner(world: World) -> None:
    owner = client_for(world.owner)
    mine = Membership.objects.get(user=world.owner, company=world.a)
    theirs = Membership.objects.get(user=world.member, company=world.a)

    owner.post(reverse("member_role", args=[world.a.pk, mine.pk]), {"role": "member"})
    owner.post(reverse("member_remove", args=[world.a.pk, mine.pk]))
    mine.refresh_from_db()
    assert mine.role == Membership.Role.OWNER  # the only owner can neither step down nor leave

    owner.post(reverse("member_role", args=[world.a.pk, theirs.pk]), {"role": "owner"})
    theirs.refresh_from_db()
    assert theirs.role == Membership.Role.OWNER
    event = actions(world, AuditEvent.Action.ROLE_CHANGED)[0]
    assert event.target == world.member.email and event.detail == {"from": "member", "to": "owner"}

    owner.post(reverse("member_role", args=[world.a.pk, mine.pk]), {"role": "member"})
    mine.refresh_from_db()
    assert mine.role == Membership.Role.MEMBER  # now someone else owns it

    new_owner = client_for(world.member)
    new_owner.post(reverse("member_remove", args=[world.a.pk, mine.pk]))
    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert actions(world, AuditEvent.Action.MEMBER_REMOVED)[0].target == world.owner.email
    # a membership of another SME cannot be reached through this SME's URL
    b_membership = Membership.objects.get(company=world.b)
    assert new_owner.post(reverse("member_remove", args=[world.a.pk, b_membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=b_membership.pk).exists()
