"""Account settings: preferences, API tokens shown once and stored as a hash, revocation."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from smecyber.accounts.models import ApiToken, AuditEvent

from .helpers import World, client_for


@pytest.mark.django_db
def test_token_is_shown_once_and_only_its_hash_is_stored(world: World) -> None:
    client = client_for(world.owner)
    response = client.post(reverse("token_create"), {"name": "CI pipeline"})
    assert response.status_code == 200
    secret = re.search(r"smc_[A-Za-z0-9_-]{20,}", response.content.decode()).group(0)

    token = ApiToken.objects.get(user=world.owner)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.name, token.prefix, token.digest) and secret.startswith(token.prefix)
    settings_page = client.get(reverse("account_settings")).content.decode()
    assert "CI pipeline" in settings_page and token.prefix in settings_page
    assert secret not in settings_page  # never again
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_CREATED)
    assert event.company is None and event.actor == world.owner and event.target == "CI pipeline"
    assert secret not in str(event.detail)


@pytest.mark.django_db
def test_token_revoke_is_for_the_tokens_owner_only(world: World) -> None:
    token, _secret = ApiToken.issue(world.owner, "laptop")
    assert client_for(world.member).post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

    assert client_for(world.owner).post(reverse("token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_REVOKED, company=None, actor=world.owner).exists()
    assert "laptop" not in client_for(world.owner).get(reverse("account_settings")).content.decode()


@pytest.mark.django_db
def test_token_needs_a_name(world: World) -> None:
    response = client_for(world.owner).post(reverse("token_create"), {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


@pytest.mark.django_db
def test_preferences_are_saved_and_the_language_switches(world: World) -> None:
    client = client_for(world.owner)
    page = client.get(reverse("account_settings")).content.decode()
    for name in ("account_email", "account_change_password", "mfa_index", "account_delete"):
        assert reverse(name) in page
    response = client.post(reverse("account_settings"), {"language": "sv", "alerts_enabled": ""})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    world.owner.refresh_from_db()
    assert world.owner.language == "sv" and world.owner.alerts_enabled is False


@pytest.mark.django_db
def test_settings_need_a_login(world: World) -> None:
    from django.test import Client

    response = Client().get(reverse("account_settings"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
