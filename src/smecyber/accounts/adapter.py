"""allauth adapter: where people land after login and sign-up, and their language from the first page on."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import invitations


def company_start_url(company_id: object) -> str:
    """The SME's own start page (its dashboard, or its people page if the dashboard is not installed)."""
    for name in ("company_dashboard", "company_people"):
        try:
            return reverse(name, kwargs={"company_id": company_id})
        except NoReverseMatch:
            continue
    return reverse("home")


def apply_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Use ``language`` for the rest of this request and, through the language cookie, for the next ones."""
    if language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._invitation_redirect(request) or reverse("home")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._invitation_redirect(request) or reverse("onboarding")

    def _invitation_redirect(self, request: HttpRequest) -> str | None:
        company, accepted = invitations.accept_from_session(request)
        if company is None:
            return None
        if not accepted:
            messages.warning(request, _("That invitation was sent to another email address. Log in with the "
                                        "invited address to accept it."))
            return None
        messages.success(request, _("You have joined %(company)s.") % {"company": company.name})
        return company_start_url(company.pk)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        # The saved language is switched on before the redirect (and its messages) are made.
        if getattr(user, "language", ""):
            translation.activate(user.language)
        response = super().post_login(request, user, **kwargs)
        if getattr(user, "language", ""):
            apply_language(request, response, user.language)
        return response
