"""Every page of this app and allauth's: the site's layout, one h1, no inline style or script (the CSP
forbids them), labelled form fields."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from smecyber.accounts.models import AdvisorConsent, Invitation

from .helpers import PASSWORD, World, client_for

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INPUT = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)


def assert_clean(html: str, where: str) -> None:
    assert 'class="skip-link"' in html, f"{where}: not in the site's layout"
    assert html.count("<h1") == 1, f"{where}: {html.count('<h1')} h1 elements"
    assert not INLINE_SCRIPT.search(html), f"{where}: inline script"
    assert not INLINE_STYLE.search(html), f"{where}: inline style"
    assert not EVENT_HANDLER.search(html), f"{where}: event handler attribute"
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), f"{where}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"
    for _tag, attrs in INPUT.findall(html):
        if re.search(r'type="(hidden|submit)"', attrs):
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        assert field_id, f"{where}: a form field without id: {attrs}"
        assert f'for="{field_id.group(1)}"' in html, f"{where}: no label for {field_id.group(1)}"


@pytest.mark.django_db
def test_allauth_entrance_pages(world: World) -> None:
    client = Client()
    for name in ("account_login", "account_signup", "account_reset_password", "account_email_verification_sent"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_clean(response.content.decode(), name)
    # a failed login shows the error in the same clean layout
    failed = client.post(reverse("account_login"), {"login": world.owner.email, "password": "nope"})
    assert_clean(failed.content.decode(), "failed login")
    bad_signup = client.post(reverse("account_signup"), {"email": "x", "password1": "a", "password2": "b"})
    assert_clean(bad_signup.content.decode(), "failed sign-up")


@pytest.mark.django_db
def test_allauth_account_pages(world: World) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": world.owner.email, "password": PASSWORD})
    for name in ("account_email", "account_change_password", "mfa_index", "account_logout", "account_reauthenticate"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_clean(response.content.decode(), name)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    assert_clean(activate.content.decode(), "mfa_activate_totp")
    assert 'class="qr-code"' in activate.content.decode()


@pytest.mark.django_db
def test_accounts_pages(world: World) -> None:
    AdvisorConsent.objects.create(company=world.a, advisor=world.advisor, granted_by=world.owner)
    invitation = Invitation.objects.create(company=world.a, email=world.member.email)
    pages = {
        "home (owner)": (world.owner, reverse("home")),
        "home (anonymous)": (None, reverse("home")),
        "onboarding": (world.owner, reverse("onboarding")),
        "account_settings": (world.owner, reverse("account_settings")),
        "account_delete": (world.owner, reverse("account_delete")),
        "advisor_home": (world.advisor, reverse("advisor_home")),
        "company_people (owner)": (world.owner, reverse("company_people", args=[world.a.pk])),
        "company_people (member)": (world.member, reverse("company_people", args=[world.a.pk])),
        "audit_log": (world.owner, reverse("audit_log", args=[world.a.pk])),
        "company_delete": (world.owner, reverse("company_delete", args=[world.a.pk])),
        "invitation (anonymous)": (None, reverse("invitation_accept", args=[invitation.token])),
        "invitation (invitee)": (world.member, reverse("invitation_accept", args=[invitation.token])),
        "invitation (someone else)": (world.other_sme, reverse("invitation_accept", args=[invitation.token])),
    }
    for where, (user, url) in pages.items():
        response = client_for(user).get(url)
        assert response.status_code == 200, where
        assert_clean(response.content.decode(), where)
    invalid_invite = client_for(world.owner).post(reverse("member_invite", args=[world.a.pk]), {"email": "x"})
    assert invalid_invite.status_code == 400
    assert_clean(invalid_invite.content.decode(), "invite with errors")
    created = client_for(world.owner).post(reverse("token_create"), {"name": "ci"})
    assert_clean(created.content.decode(), "token_created")
    invalid = Client().get(reverse("invitation_accept", args=["no-such-token"]))
    assert invalid.status_code == 404
    assert_clean(invalid.content.decode(), "invitation_invalid")
