"""The audit trail of who looked at an SME's results from outside it (advisors, coordinators)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from smecyber.accounts.audit import record
from smecyber.accounts.models import AuditEvent, Company
from smecyber.accounts.permissions import Access, company_access

# One page after another of the same results is one look, not many lines in the SME's log.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def note_results_viewed(request: HttpRequest, company: Company, target: str) -> None:
    """Record VIEW_RESULTS when the viewer is not one of the SME's own people."""
    user = request.user
    if company_access(user, company) not in (Access.ADVISOR, Access.COORDINATOR):  # type: ignore[arg-type]
        return
    recent = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_RESULTS, actor=user, company=company,
                                       target=target[:255], at__gte=timezone.now() - REPEAT_WINDOW)
    if not recent.exists():
        record(AuditEvent.Action.VIEW_RESULTS, actor=user, company=company, target=target,  # type: ignore[arg-type]
               request=request)
