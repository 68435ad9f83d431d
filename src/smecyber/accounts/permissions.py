"""Every access rule of the platform, in one place. Views, the API, exports and reports all ask here.

Rules (DESIGN.md, issue 3):
- an SME's owner and members see and act on their SME; only owners manage people, consent, sharing, deletion;
- an advisor sees an SME only while an unrevoked ``AdvisorConsent`` exists;
- a coordinator sees programme aggregates; an SME's named results only while it shares with the programme;
- a platform admin (superuser) operates the platform; findings are still shown only through the rules above.

Objects a caller may not see are answered with 404 (not 403), so their existence does not leak.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AdvisorConsent, Company, Membership, Programme, ProgrammeRole, User


class Access(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    ADVISOR = "advisor"  # with active consent
    COORDINATOR = "coordinator"  # of the SME's programme, while the SME shares its results
    NONE = "none"


def company_access(user: User, company: Company) -> Access:
    if not user.is_authenticated:
        return Access.NONE
    role = Membership.objects.filter(user=user, company=company).values_list("role", flat=True).first()
    if role == Membership.Role.OWNER:
        return Access.OWNER
    if role == Membership.Role.MEMBER:
        return Access.MEMBER
    if AdvisorConsent.objects.filter(company=company, advisor=user, revoked_at__isnull=True).exists():
        return Access.ADVISOR
    if company.shared_with_programme_at and is_coordinator(user, company.programme):
        return Access.COORDINATOR
    return Access.NONE


def can_view_company(user: User, company: Company) -> bool:
    """See the SME's domains, scans, findings and reports."""
    return company_access(user, company) != Access.NONE


def can_act_for_company(user: User, company: Company) -> bool:
    """Add domains, verify them, start scans: the SME's own people."""
    return company_access(user, company) in (Access.OWNER, Access.MEMBER)


def can_manage_company(user: User, company: Company) -> bool:
    """People, consent, sharing, export, deletion: owners only."""
    return company_access(user, company) == Access.OWNER


def is_coordinator(user: User, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    return ProgrammeRole.objects.filter(user=user, programme=programme, role=ProgrammeRole.Role.COORDINATOR).exists()


def visible_companies(user: User) -> QuerySet[Company]:
    """SMEs whose named results this user may see (for lists and the API)."""
    if not user.is_authenticated:
        return Company.objects.none()
    coordinated = ProgrammeRole.objects.filter(user=user, role=ProgrammeRole.Role.COORDINATOR).values("programme")
    return Company.objects.filter(
        Q(memberships__user=user)
        | Q(advisor_consents__advisor=user, advisor_consents__revoked_at__isnull=True)
        | Q(programme__in=coordinated, shared_with_programme_at__isnull=False)
    ).distinct()


def coordinated_programmes(user: User) -> QuerySet[Programme]:
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(roles__user=user, roles__role=ProgrammeRole.Role.COORDINATOR).distinct()


def company_or_404(user: User, company_id: object, *, need: str = "view") -> Company:
    """The company if ``user`` may ``need`` ("view", "act" or "manage") it, else 404."""
    try:
        company = Company.objects.select_related("programme").get(pk=company_id)
    except (Company.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access = company_access(user, company)
    allowed = {
        "view": access != Access.NONE,
        "act": access in (Access.OWNER, Access.MEMBER),
        "manage": access == Access.OWNER,
    }[need]
    if not allowed:
        raise Http404
    # The instance was loaded for this caller and this request only: keep the answer for the view and the
    # navigation (platform_tags.access_to), so one page asks the database once.
    company.viewer_access = access  # type: ignore[attr-defined]
    return company


def programme_or_404(user: User, programme_id: object) -> Programme:
    """The programme if ``user`` coordinates it, else 404."""
    try:
        programme = Programme.objects.get(pk=programme_id)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not is_coordinator(user, programme):
        raise Http404
    return programme


# --- lists for the start page and the advisor's page (added by the accounts views) -------------------------

def own_memberships(user: User) -> QuerySet[Membership]:
    """The SMEs this user belongs to, as owner or member, with the role."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("company", "company__programme").order_by(
        "company__name"
    )


def advised_companies(user: User) -> QuerySet[Company]:
    """SMEs that currently grant this user, as an advisor, access to their results."""
    if not user.is_authenticated:
        return Company.objects.none()
    return (
        Company.objects.filter(advisor_consents__advisor=user, advisor_consents__revoked_at__isnull=True)
        .select_related("programme")
        .distinct()
        .order_by("name")
    )


def active_advisor_consents(user: User) -> QuerySet[AdvisorConsent]:
    """This advisor's unrevoked consents, one per SME that currently lets them see its results."""
    if not user.is_authenticated:
        return AdvisorConsent.objects.none()
    return (
        AdvisorConsent.objects.filter(advisor=user, revoked_at__isnull=True)
        .select_related("company", "company__programme", "granted_by")
        .order_by("company__name", "granted_at")
    )


def is_programme_advisor(user: User, programme: Programme) -> bool:
    """May be granted consent by an SME of ``programme`` (consent itself is the SME's choice)."""
    return ProgrammeRole.objects.filter(user=user, programme=programme, role=ProgrammeRole.Role.ADVISOR).exists()


def two_factor_required(user: User) -> bool:
    """Whether a programme this user takes part in (SME person, coordinator or advisor) requires 2FA."""
    if not user.is_authenticated:
        return False
    return Programme.objects.filter(
        Q(companies__memberships__user=user) | Q(roles__user=user), require_two_factor=True
    ).exists()
