"""Who is calling the API: a personal token (``Authorization: Bearer smc_...``) or the browser's session.

Tokens are looked up by their SHA-256 (only the digest is stored). A token sent but not valid answers 401
even if a session cookie came along, so a script never silently acts as whoever is logged in in a browser.
The session is accepted so the UI's own pages may call the API; it is CSRF-checked on unsafe methods.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from smecyber.accounts.models import ApiToken, User

LAST_USED_RESOLUTION = timedelta(minutes=1)  # one write per token per minute at most, not one per request


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        token = token.strip()
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
            if token
            else None
        )
        if found is None:
            raise AuthenticationError  # 401, and no fall-through to the session
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
            ).update(last_used_at=now)
        request.user = found.user  # permissions and the audit log read request.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class BrowserSessionAuth(SessionAuth):
    """Django's session, CSRF-checked; a request without a signed-in session is simply not this kind."""

    def __call__(self, request: HttpRequest) -> User | None:
        if not request.user.is_authenticated:
            return None  # 401 from the API, not a CSRF 403 for someone who is not logged in at all
        return super().__call__(request)


token_auth = TokenAuth()
session_auth = BrowserSessionAuth(csrf=True)
