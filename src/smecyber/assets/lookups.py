"""Fetching a domain the way permissions.py allows, or 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from smecyber.accounts.models import User
from smecyber.accounts.permissions import company_or_404

from .models import Domain


def domain_or_404(user: User, domain_id: object, *, need: str = "view") -> Domain:
    """The domain if ``user`` may ``need`` ("view", "act", "manage") its SME, else 404."""
    try:
        domain = Domain.objects.get(pk=domain_id)
    except (Domain.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    domain.company = company_or_404(user, domain.company_id, need=need)
    return domain
