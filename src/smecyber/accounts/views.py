"""A person's own pages: creating their SME, account settings and API tokens, deleting the account, and the
advisor's list of SMEs that granted them access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, gdpr, permissions
from .adapter import apply_language, company_start_url
from .forms import AccountDeleteForm, AccountSettingsForm, OnboardingForm, TokenCreateForm
from .models import ApiToken, AuditEvent, Membership, Programme


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    form = OnboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            company = form.save()
            Membership.objects.create(user=request.user, company=company, role=Membership.Role.OWNER)
            audit.record(AuditEvent.Action.COMPANY_CREATED, actor=request.user, company=company,
                         target=company.name, request=request)
        messages.success(request, _("%(company)s is registered. Next, add its domains.") % {"company": company.name})
        return redirect(company_start_url(company.pk))
    return render(request, "accounts/onboarding.html", {
        "form": form,
        "has_programmes": Programme.objects.filter(open_for_signup=True).exists(),
        "memberships": permissions.own_memberships(request.user),
    })


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        response = redirect("account_settings")
        if user.language:
            apply_language(request, response, user.language)
        else:  # back to what the browser asks for
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                                   domain=settings.LANGUAGE_COOKIE_DOMAIN)
        messages.success(request, _("Your settings are saved."))
        return response
    return render(request, "accounts/settings.html", {
        "form": form,
        "token_form": TokenCreateForm(),
        "tokens": _active_tokens(request),
    })


def _active_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    return ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/settings.html", {
            "form": AccountSettingsForm(instance=request.user), "token_form": form, "tokens": _active_tokens(request),
        }, status=400)
    token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
    audit.record(AuditEvent.Action.TOKEN_CREATED, actor=request.user, company=None, target=token.name,
                 detail={"prefix": token.prefix}, request=request)
    # Rendered straight from the POST and never stored: this page is the only time the token is shown.
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(AuditEvent.Action.TOKEN_REVOKED, actor=request.user, company=None, target=token.name,
                 detail={"prefix": token.prefix}, request=request)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("account_settings")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    blocking = gdpr.blocking_companies(user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and not blocking and form.is_valid():
        gdpr.delete_account(user, request=request)
        logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {
        "form": form,
        "blocking": blocking,
        "solely_held": gdpr.solely_held_companies(user),
    }, status=409 if request.method == "POST" and blocking else 200)


@login_required
def advisor_home(request: HttpRequest) -> HttpResponse:
    consents = permissions.active_advisor_consents(request.user)
    return render(request, "accounts/advisor_home.html", {"consents": consents})
