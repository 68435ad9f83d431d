"""Sign-up with email verification, onboarding, login, throttling, password hashing, language at login."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from smecyber.accounts.models import AuditEvent, Company, Membership, User

from .helpers import PASSWORD, World, make_user

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


def sign_up(client: Client, email: str) -> str:
    """Sign up and return the path of the confirmation link from the email."""
    mail.outbox.clear()
    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    match = CONFIRM_LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


@pytest.mark.django_db
def test_signup_verification_then_onboarding_creates_the_sme_with_its_owner(world: World) -> None:
    client = Client()
    link = sign_up(client, "new@gamma.test")
    user = User.objects.get(email="new@gamma.test")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated  # not before confirming

    page = client.get(link)
    assert page.status_code == 200 and b"new@gamma.test" in page.content
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("onboarding")  # signed up and logged in: register the SME next

    form = client.get(reverse("onboarding"))
    assert form.status_code == 200
    assert world.programme.name.encode() in form.content
    response = client.post(reverse("onboarding"), {
        "name": "Gamma Data OÜ", "country": "EE", "sector": "J", "size_band": "small",
        "builds_software": "on", "programme": str(world.programme.pk),
    })
    company = Company.objects.get(name="Gamma Data OÜ")
    assert response.status_code == 302
    assert (company.country, company.sector, company.size_band, company.builds_software) == ("EE", "J", "small", True)
    assert Membership.objects.get(company=company).user == user
    assert Membership.objects.get(company=company).role == Membership.Role.OWNER
    assert AuditEvent.objects.filter(company=company, action=AuditEvent.Action.COMPANY_CREATED, actor=user).exists()


@pytest.mark.django_db
def test_onboarding_offers_only_programmes_open_for_signup_and_baltic_countries_first(world: World) -> None:
    closed = world.programme.__class__.objects.create(organisation=world.programme.organisation,
                                                      name="Closed pilot", open_for_signup=False)
    client = Client()
    client.force_login(make_user("x@gamma.test"))
    page = client.get(reverse("onboarding")).content.decode()
    assert world.programme.name in page and closed.name not in page
    assert page.index('value="SE"') < page.index('value="AT"')  # Sweden (Baltic Sea) before Austria
    assert "Information and communication" in page  # NACE section J by name
    refused = client.post(reverse("onboarding"), {"name": "Sneaky", "country": "EE", "sector": "J",
                                                  "size_band": "micro", "programme": str(closed.pk)})
    assert refused.status_code == 200 and not Company.objects.filter(name="Sneaky").exists()
    refused = client.post(reverse("onboarding"), {"name": "Far away", "country": "US", "sector": "J",
                                                  "size_band": "micro", "programme": str(world.programme.pk)})
    assert not Company.objects.filter(name="Far away").exists()


@pytest.mark.django_db
def test_login_lands_on_home(world: World) -> None:
    client = Client()
    response = client.post(reverse("account_login"), {"login": world.owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert world.a.name in home and world.b.name not in home


@pytest.mark.django_db
def test_repeated_failed_logins_lock_out_even_the_right_password(world: World) -> None:
    client = Client()
    for _attempt in range(5):  # the per-account limit in settings: 5 failures in 5 minutes
        response = client.post(reverse("account_login"), {"login": world.owner.email, "password": "wrong password"})
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated
    response = client.post(reverse("account_login"), {"login": world.owner.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect to the start page
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()
    # another account from the same address is not locked by this one's failures
    other = client.post(reverse("account_login"), {"login": world.member.email, "password": PASSWORD})
    assert other.status_code == 302


@pytest.mark.django_db
def test_new_passwords_are_hashed_with_argon2() -> None:
    client = Client()
    sign_up(client, "hash@gamma.test")
    stored = User.objects.get(email="hash@gamma.test").password
    assert stored.startswith("argon2$argon2id$")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_saved_language_is_applied_at_login(world: World) -> None:
    world.owner.language = "lv"
    world.owner.save()
    client = Client()
    response = client.post(reverse("account_login"), {"login": world.owner.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    home = client.get(reverse("home"))
    assert '<html lang="lv"' in home.content.decode()
