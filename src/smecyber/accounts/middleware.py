"""Programmes may require two-factor login: send their people to set it up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .permissions import two_factor_required

# Pages a person without an authenticator may still open: leaving, setting up TOTP (allauth asks for the
# password again first, and wants a verified email address), and choosing the page language.
ALLOWED_URL_NAMES = frozenset({
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "set_language",
})


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def has_totp(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # Decided afresh on every request: a programme may switch the requirement on at any time.
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
            and _url_name(request.path_info) not in ALLOWED_URL_NAMES
            and two_factor_required(user)
            and not has_totp(user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        text = _("Your programme requires two-factor login. Set up an authenticator app to continue.")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": text}, status=403)  # a script cannot follow a setup page
        messages.warning(request, text)
        return redirect("mfa_activate_totp")
