"""The start page: what the signed-in person can open; the public introduction otherwise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smecyber.accounts import permissions


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    return render(request, "home.html", {
        "memberships": permissions.own_memberships(user),
        "advised": permissions.advised_companies(user),
        "programmes": permissions.coordinated_programmes(user).select_related("organisation").order_by("name"),
    })
