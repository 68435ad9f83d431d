"""Template context every page gets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_URL": settings.SITE_URL, "AGGREGATE_MIN_GROUP": settings.AGGREGATE_MIN_GROUP}
