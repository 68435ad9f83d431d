"""Template tags shared by every app."""

from __future__ import annotations

from django import template

from smecyber.accounts.models import Company
from smecyber.accounts.permissions import company_access

register = template.Library()


@register.simple_tag(takes_context=True)
def access_to(context: template.Context, company: Company) -> str:
    """The viewer's access to ``company`` ("owner", "member", "advisor", "coordinator" or "none")."""
    known = getattr(company, "viewer_access", None)  # company_or_404 already asked, for this request's user
    if known is not None:
        return str(known)
    request = context.get("request")
    if request is None:
        return "none"
    return str(company_access(request.user, company))


@register.filter
def ui_label(value: object, group: str) -> str:
    """``{{ finding.status|ui_label:"status" }}``: the catalog's label of a code in the active language."""
    from django.utils.translation import get_language

    from smecyber.catalog import ui_text

    try:
        return ui_text(f"{group}.{value}", get_language())
    except KeyError:
        return str(value)


@register.filter
def choice_label(value: object, choices: str) -> str:
    """``{{ scan.status|choice_label:"scan_status" }}``: a stored code as its translated choice label."""
    from smecyber.assets.models import Domain
    from smecyber.scans.models import ScanStatus

    table = {"scan_status": ScanStatus, "verified_method": Domain.Method}[choices]
    try:
        return str(table(value).label)
    except ValueError:
        return str(value)
