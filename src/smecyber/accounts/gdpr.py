"""An SME's right to its data: export everything the platform holds about it; delete it; delete an account.

``export_company`` is the single description of "everything": the JSON download and the PDF are both
made from it, so the two can never disagree about what was exported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from smecyber.catalog import load_catalog

from . import audit
from .choices import country_name, sector_name
from .models import AdvisorConsent, AuditEvent, Company, Membership, User

EXPORT_FORMAT = "smecyber-company-export"
EXPORT_VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _finding_title(key: str, lang: str) -> str:
    try:
        return load_catalog().entry(key, lang).title
    except KeyError:  # an engine key the catalog does not (yet) describe
        return ""


def export_company(company: Company) -> dict[str, Any]:
    """Everything the platform holds about ``company``, JSON-serialisable (strings, numbers, lists, dicts)."""
    from smecyber.assessments.export import export_action_plan, export_assessments
    from smecyber.assets.models import Domain  # the apps above accounts import accounts, not the reverse
    from smecyber.scans.models import Scan

    lang = translation.get_language() or "en"
    people = [
        {"email": m.user.email, "role": m.role, "since": _iso(m.created_at)}
        for m in company.memberships.select_related("user").order_by("created_at")
    ]
    invitations = [
        {"email": i.email, "role": i.role, "invited_by": _email(i.invited_by), "created_at": _iso(i.created_at),
         "accepted_at": _iso(i.accepted_at)}
        for i in company.invitations.select_related("invited_by").order_by("created_at")
    ]
    consents = [
        {"advisor": c.advisor.email, "granted_by": _email(c.granted_by), "granted_at": _iso(c.granted_at),
         "revoked_by": _email(c.revoked_by), "revoked_at": _iso(c.revoked_at)}
        for c in company.advisor_consents.select_related("advisor", "granted_by", "revoked_by").order_by("granted_at")
    ]
    domains = []
    for domain in Domain.objects.filter(company=company).select_related("added_by").order_by("name"):
        scans = []
        for scan in Scan.objects.filter(domain=domain).select_related("requested_by").order_by("created_at"):
            findings = [
                {"check": f.check_id, "key": f.key, "title": _finding_title(f.key, lang), "status": f.status,
                 "severity": f.severity, "subject": f.subject, "evidence": f.evidence, "points": f.points,
                 "score_group": f.score_group}
                for f in scan.findings.order_by("check_id", "key", "subject", "pk")
            ]
            scans.append({
                "id": str(scan.id), "status": scan.status, "trigger": scan.trigger, "depth": scan.depth,
                "requested_by": _email(scan.requested_by), "created_at": _iso(scan.created_at),
                "started_at": _iso(scan.started_at), "finished_at": _iso(scan.finished_at), "error": scan.error,
                "grades": scan.grades, "facts": scan.facts, "findings": findings,
            })
        domains.append({
            "id": str(domain.id), "name": domain.name, "display_name": domain.display_name,
            "added_by": _email(domain.added_by), "created_at": _iso(domain.created_at),
            "verified_at": _iso(domain.verified_at), "verified_method": domain.verified_method,
            "schedule": domain.schedule, "scans": scans,
        })
    events = [
        {"at": _iso(e.at), "actor": e.actor_email, "action": e.action, "action_label": str(e.get_action_display()),
         "target": e.target, "detail": e.detail}
        for e in company.audit_events.order_by("at", "pk")
    ]
    programme = company.programme
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "company": {
            "id": str(company.id), "name": company.name, "country": company.country,
            "country_name": country_name(company.country), "sector": company.sector,
            "sector_name": sector_name(company.sector) if company.sector else "",
            "size_band": company.size_band, "builds_software": company.builds_software,
            "created_at": _iso(company.created_at),
            "shared_with_programme_at": _iso(company.shared_with_programme_at),
            "programme": {"id": str(programme.id), "name": programme.name,
                          "organisation": programme.organisation.name},
        },
        "people": people,
        "invitations": invitations,
        "advisor_consents": consents,
        "domains": domains,
        "assessments": export_assessments(company, lang),
        "action_plan": export_action_plan(company, lang),
        "incidents": [
            {"id": str(i.id), "kind": i.kind, "title": i.title, "occurred_at": _iso(i.occurred_at),
             "detected_at": _iso(i.detected_at), "affected": i.affected, "impact": i.impact,
             "cost_band": i.cost_band, "reported": i.reported, "reported_to": i.reported_to,
             "reported_other": i.reported_other, "notes": i.notes, "created_by": _email(i.created_by),
             "created_at": _iso(i.created_at)}
            for i in company.incidents.select_related("created_by").order_by("occurred_at")
        ],
        "audit_events": events,
    }


def delete_company(company: Company, *, actor: User, request: HttpRequest | None) -> None:
    """Delete the SME and everything under it (people's access, consents, domains, scans, findings, its log).

    The deletion itself is logged at platform level (company=None), since the SME's own log goes with it.
    """
    name, company_id, programme_id = company.name, str(company.pk), str(company.programme_id)
    with transaction.atomic():
        company.delete()
        audit.record(AuditEvent.Action.ACCOUNT_DELETED, actor=actor, company=None, target=name,
                     detail={"company_id": company_id, "programme_id": programme_id}, request=request)


# --- a person's own account ------------------------------------------------------------------------------

def blocking_companies(user: User) -> list[Company]:
    """SMEs that would be left without an owner while people remain: the account cannot go before they are
    handed over (another owner) or deleted."""
    blocked = []
    for membership in Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related("company"):
        company = membership.company
        other_owners = company.memberships.filter(role=Membership.Role.OWNER).exclude(user=user).exists()
        others = company.memberships.exclude(user=user).exists()
        if others and not other_owners:
            blocked.append(company)
    return blocked


def solely_held_companies(user: User) -> list[Company]:
    """SMEs whose only person is ``user``: they are deleted with the account (nobody could reach them)."""
    return [
        m.company
        for m in Membership.objects.filter(user=user).select_related("company")
        if not m.company.memberships.exclude(user=user).exists()
    ]


def delete_account(user: User, *, request: HttpRequest | None) -> None:
    if blocking_companies(user):
        raise ValueError("the user is the only owner of an SME that has other people")
    with transaction.atomic():
        for company in solely_held_companies(user):
            delete_company(company, actor=user, request=request)
        for membership in Membership.objects.filter(user=user).select_related("company"):
            audit.record(AuditEvent.Action.MEMBER_REMOVED, actor=user, company=membership.company,
                         target=user.email, detail={"reason": "account deleted"}, request=request)
        # An advisor's consents go with the account (the rows cascade); each SME's log keeps the end of them.
        for consent in AdvisorConsent.objects.filter(advisor=user, revoked_at__isnull=True).select_related("company"):
            audit.record(AuditEvent.Action.CONSENT_REVOKED, actor=user, company=consent.company, target=user.email,
                         detail={"reason": "advisor account deleted"}, request=request)
        audit.record(AuditEvent.Action.USER_DELETED, actor=user, company=None, target=user.email, request=request)
        user.delete()
