"""Response hardening Django's own middleware does not do."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class CookiePolicyMiddleware:
    """Every cookie the platform sends is HttpOnly, has a SameSite attribute and, over HTTPS, is Secure.

    This includes the deletions Django writes: ``delete_cookie`` drops Secure and HttpOnly unless the name has
    a ``__Host-``/``__Secure-`` prefix (e.g. the messages cookie once read). Nothing of ours reads cookies from
    JavaScript (the CSRF token travels in forms), so HttpOnly costs nothing. Listed first in MIDDLEWARE so it
    sees the cookies the session, CSRF, language and messages middleware add on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        secure = request.is_secure()
        for morsel in response.cookies.values():
            morsel["httponly"] = True
            if not morsel["samesite"]:
                morsel["samesite"] = "Lax"
            if secure:
                morsel["secure"] = True
        return response


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy, Permissions-Policy, and no caching of signed-in pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            # Pages and API answers with an SME's weaknesses must not stay in shared caches or the back cache.
            response.headers["Cache-Control"] = "no-store"
        return response
