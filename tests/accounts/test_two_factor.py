"""A programme that requires two-factor login sends its people to set up TOTP first; then login asks for it."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from .helpers import PASSWORD, World


def current_code(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238, computed with allauth's own helpers)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def log_in(client: Client, email: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def strict_programme(world: World) -> World:
    world.programme.require_two_factor = True
    world.programme.save()
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "advisor", "coordinator"])
def test_people_of_a_strict_programme_without_totp_are_sent_to_set_it_up(strict_programme: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(strict_programme, who))
    for name in ("home", "account_settings", "advisor_home"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
    assert client.get(reverse("company_people", args=[strict_programme.a.pk])).status_code == 302
    # still reachable: leaving, the setup itself, the language
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    language = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert language.status_code == 302 and language["Location"] == "/"
    api = client.get("/api/v1/openapi.json")
    # a script gets a refusal, not a page, in the language just chosen
    assert api.status_code == 403 and "tvåfaktorsinloggning" in api.json()["detail"]


@pytest.mark.django_db
def test_people_of_other_programmes_are_not_asked(strict_programme: World) -> None:
    strict_programme.b.programme = strict_programme.programme.__class__.objects.create(
        organisation=strict_programme.programme.organisation, name="Relaxed")
    strict_programme.b.save()
    client = Client()
    client.force_login(strict_programme.other_sme)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_activating_totp_lifts_the_redirect_and_login_then_asks_for_a_code(strict_programme: World) -> None:
    user = strict_programme.owner
    client = Client()
    log_in(client, user.email)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before a security change; the middleware lets that page through
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    again = client.post(asked["Location"], {"password": PASSWORD})
    assert again.status_code == 302 and again["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing into an app without a camera
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("account_logout"))
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("mfa_authenticate")).wsgi_request.user.is_authenticated
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200 and not wrong.wsgi_request.user.is_authenticated
    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
