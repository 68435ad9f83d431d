"""Objects the API hands out, fetched only through the platform's permission rules (accounts.permissions).

Everything a caller may not see is a 404, exactly like the UI.
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from smecyber.accounts.models import User
from smecyber.accounts.permissions import company_or_404, programme_or_404
from smecyber.assets.models import Domain
from smecyber.scans.models import Batch, Scan

__all__ = ["batch_or_404", "caller", "domain_or_404", "programme_or_404", "scan_or_404"]


def caller(request: HttpRequest) -> User:
    """The authenticated user (token or session); ninja has already refused everyone else with 401."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def domain_or_404(user: User, domain_id: uuid.UUID, *, need: str = "view") -> Domain:
    domain = Domain.objects.select_related("company").filter(pk=domain_id).first()
    if domain is None:
        raise Http404
    company_or_404(user, domain.company_id, need=need)
    return domain


def scan_or_404(user: User, scan_id: uuid.UUID) -> Scan:
    scan = Scan.objects.select_related("domain", "domain__company").filter(pk=scan_id).first()
    if scan is None:
        raise Http404
    company_or_404(user, scan.domain.company_id)
    return scan


def batch_or_404(user: User, batch_id: uuid.UUID) -> Batch:
    batch = Batch.objects.select_related("programme").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    programme_or_404(user, batch.programme_id)
    return batch
