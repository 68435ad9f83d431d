"""Inviting a colleague by email; accepting as a signed-in user, or after logging in / signing up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AuditEvent, Invitation, Membership

from .helpers import PASSWORD, World, client_for, make_user

INVITE_LINK = re.compile(r"https?://[^/\s]+(/invite/[^/\s]+/)")
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


def invite(world: World, email: str, role: str = "member") -> str:
    mail.outbox.clear()
    response = client_for(world.owner).post(reverse("member_invite", args=[world.a.pk]),
                                            {"email": email, "role": role})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    assert world.a.name in mail.outbox[0].subject
    match = INVITE_LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


@pytest.mark.django_db
def test_signed_in_invitee_accepts_and_becomes_a_member(world: World) -> None:
    colleague = make_user("colleague@alfa.test")
    link = invite(world, "Colleague@alfa.test")
    assert AuditEvent.objects.filter(company=world.a, action=AuditEvent.Action.INVITATION_SENT,
                                     target="Colleague@alfa.test").exists()
    client = client_for(colleague)
    page = client.get(link)
    assert page.status_code == 200 and world.a.name in page.content.decode()
    assert not Membership.objects.filter(user=colleague).exists()  # opening the link alone changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=colleague, company=world.a).role == Membership.Role.MEMBER
    assert AuditEvent.objects.filter(company=world.a, action=AuditEvent.Action.MEMBER_ADDED,
                                     target=colleague.email).exists()
    assert client.get(link).status_code == 404  # used up


@pytest.mark.django_db
def test_someone_with_another_address_cannot_accept(world: World) -> None:
    link = invite(world, "colleague@alfa.test")
    client = client_for(world.other_sme)
    assert "another email address" in client.get(link).content.decode()
    client.post(link)
    assert not Membership.objects.filter(user=world.other_sme, company=world.a).exists()
    assert Invitation.objects.get(email="colleague@alfa.test").accepted_at is None


@pytest.mark.django_db
def test_anonymous_invitee_signs_up_and_joins_after_confirming_the_address(world: World) -> None:
    link = invite(world, "newcomer@alfa.test", role="owner")
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and reverse("account_signup") in page.content.decode()

    mail.outbox.clear()
    client.post(reverse("account_signup"),
                {"email": "newcomer@alfa.test", "password1": PASSWORD, "password2": PASSWORD})
    confirm = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    response = client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] != reverse("onboarding")  # straight to the company, not to register a new one
    membership = Membership.objects.get(user__email="newcomer@alfa.test", company=world.a)
    assert membership.role == Membership.Role.OWNER


@pytest.mark.django_db
def test_anonymous_invitee_with_an_account_logs_in_and_joins(world: World) -> None:
    colleague = make_user("colleague@alfa.test")
    link = invite(world, colleague.email)
    client = Client()
    client.get(link)
    response = client.post(reverse("account_login"), {"login": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, company=world.a).exists()


@pytest.mark.django_db
def test_expired_and_replaced_invitations_do_not_work(world: World) -> None:
    old_link = invite(world, "late@alfa.test")
    new_link = invite(world, "late@alfa.test")  # sending again replaces the first link
    assert old_link != new_link
    late = make_user("late@alfa.test")
    client = client_for(late)
    assert client.get(old_link).status_code == 404
    Invitation.objects.filter(email="late@alfa.test").update(created_at=timezone.now() - timedelta(days=15))
    assert client.get(new_link).status_code == 404
    client.post(new_link)
    assert not Membership.objects.filter(user=late).exists()


@pytest.mark.django_db
def test_only_owners_invite(world: World) -> None:
    mail.outbox.clear()
    for user in (world.member, world.advisor, world.other_sme):
        response = client_for(user).post(reverse("member_invite", args=[world.a.pk]),
                                         {"email": "x@alfa.test", "role": "owner"})
        assert response.status_code == 404
    assert mail.outbox == [] and not Invitation.objects.exists()
