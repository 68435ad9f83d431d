"""Template tags shared by every app."""

from __future__ import annotations

from django import template

from smecyber.accounts.models import Company
from smecyber.accounts.permissions import company_access

register = template.Library()


@register.simple_tag(takes_context=True)
def access_to(context: template.Context, company: Company) -> str:
    """The viewer's access to ``company`` ("owner", "member", "advisor", "coordinator" or "none")."""
    request = context.get("request")
    if request is None:
        return "none"
    return str(company_access(request.user, company))
