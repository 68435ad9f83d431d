"""Recording sensitive actions in the audit log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import AuditEvent, Company, Programme, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: User | None,
    company: Company | None = None,
    programme: Programme | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        action=action,
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        company=company,
        programme=programme,
        target=target[:255],
        detail=detail or {},
        ip=client_ip(request),
    )
