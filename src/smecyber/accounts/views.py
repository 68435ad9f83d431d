"""Account pages (placeholder until the accounts views are written)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return redirect("account_email")
