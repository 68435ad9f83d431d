"""Who may call the API: personal tokens (Bearer) and the browser session (CSRF-checked)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from smecyber.accounts.models import ApiToken
from tests.api.conftest import API
from tests.web.world import World


def get(token: str | None, path: str = "/companies") -> int:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client(HTTP_HOST="127.0.0.1", **headers).get(API + path).status_code


def test_valid_token_is_accepted_and_acts_as_its_user(world: World, as_persona: Callable[[str], Client]) -> None:
    response = as_persona("owner").get(f"{API}/companies")
    assert response["Cache-Control"] == "no-store"  # an SME's results never stay in a cache
    body = response.json()
    assert [c["name"] for c in body["items"]] == ["Alpha AB"]
    assert body["items"][0]["access"] == "owner"


def test_no_credentials_wrong_token_and_empty_token_answer_401(world: World) -> None:
    assert get(None) == 401
    assert get("smc_not-a-real-token") == 401
    assert get("") == 401
    assert Client(HTTP_HOST="127.0.0.1").post(f"{API}/companies/{world.company_a.id}/domains",
                                              {"name": "x.test"}, content_type="application/json").status_code == 401


def test_revoked_token_answers_401(world: World) -> None:
    ApiToken.objects.filter(user=world.users["owner"]).update(revoked_at=timezone.now())
    assert get(world.tokens["owner"]) == 401


def test_token_of_a_deactivated_user_answers_401(world: World) -> None:
    owner = world.users["owner"]
    owner.is_active = False
    owner.save()
    assert get(world.tokens["owner"]) == 401


def test_last_used_is_recorded_at_most_once_a_minute(world: World) -> None:
    token = ApiToken.objects.get(digest=ApiToken.hash(world.tokens["member"]))
    assert token.last_used_at is None
    assert get(world.tokens["member"]) == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert get(world.tokens["member"]) == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert get(world.tokens["member"]) == 200
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_a_wrong_token_is_refused_even_with_a_signed_in_session(world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION="Bearer smc_wrong")
    client.force_login(world.users["owner"])
    assert client.get(f"{API}/companies").status_code == 401


def test_browser_session_reads_without_a_token(world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world.users["member"])
    body = client.get(f"{API}/companies/{world.company_a.id}").json()
    assert body["access"] == "member"


def test_browser_session_writes_need_the_csrf_token(world: World, settings) -> None:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    url = f"{API}/domains/{world.domain.id}/scans"
    assert client.post(url).status_code == 403  # no CSRF token: refused before anything happens
    home = client.get("/")  # any page with a form sets the CSRF cookie
    assert home.status_code == 200
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(url, HTTP_X_CSRFTOKEN=csrf).status_code == 202


def test_token_requests_need_no_csrf_token(world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True,
                    HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")
    assert client.post(f"{API}/domains/{world.domain.id}/scans").status_code == 202
