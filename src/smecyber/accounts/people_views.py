"""Who belongs to an SME and who may see its results: members, invitations, advisors, the programme."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import audit, invitations
from .adapter import company_start_url
from .forms import AdvisorGrantForm, InviteForm, RoleForm
from .models import AdvisorConsent, AuditEvent, Company, Membership, ProgrammeRole, User
from .permissions import Access, company_access, company_or_404


def _people_page(request: HttpRequest, company: Company, *, invite_form: InviteForm | None = None,
                 advisor_form: AdvisorGrantForm | None = None, status: int = 200) -> HttpResponse:
    is_owner = company_access(request.user, company) == Access.OWNER
    consents = company.advisor_consents.select_related("advisor", "granted_by", "revoked_by").order_by("-granted_at")
    return render(request, "accounts/people.html", {
        "company": company,
        "is_owner": is_owner,
        "memberships": company.memberships.select_related("user").order_by("user__email"),
        "owner_count": company.memberships.filter(role=Membership.Role.OWNER).count(),
        "invitations": invitations.pending_invitations(company) if is_owner else [],
        "invitation_days": invitations.INVITATION_VALID_DAYS,
        "active_consents": [c for c in consents if c.active],
        "past_consents": [c for c in consents if not c.active],
        "invite_form": invite_form or InviteForm(),
        "advisor_form": advisor_form or AdvisorGrantForm(),
        "role_choices": Membership.Role.choices,
        "min_group": settings.AGGREGATE_MIN_GROUP,
    }, status=status)


@login_required
def company_people(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")  # members see it read-only
    return _people_page(request, company)


@login_required
@require_POST
def member_invite(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _people_page(request, company, invite_form=form, status=400)
    email = form.cleaned_data["email"]
    if company.memberships.filter(user__email__iexact=email).exists():
        messages.info(request, _("%(email)s already belongs to %(company)s.") % {"email": email,
                                                                                   "company": company.name})
        return redirect("company_people", company_id=company.pk)
    invitations.invite(company, email, form.cleaned_data["role"], by=request.user, request=request)
    days = invitations.INVITATION_VALID_DAYS
    messages.success(request, ngettext("We sent an invitation to %(email)s. The link works for %(days)d day.",
                                       "We sent an invitation to %(email)s. The link works for %(days)d days.", days)
                     % {"email": email, "days": days})
    return redirect("company_people", company_id=company.pk)


def _membership_or_404(company: Company, membership_id: int) -> Membership:
    membership = company.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    return membership


def _is_last_owner(membership: Membership) -> bool:
    return membership.role == Membership.Role.OWNER and not membership.company.memberships.filter(
        role=Membership.Role.OWNER).exclude(pk=membership.pk).exists()


@login_required
@require_POST
def member_remove(request: HttpRequest, company_id: object, membership_id: int) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    membership = _membership_or_404(company, membership_id)
    if _is_last_owner(membership):
        messages.error(request, _("%(company)s needs at least one owner. Make someone else an owner first, or "
                                  "delete the company.") % {"company": company.name})
        return redirect("company_people", company_id=company.pk)
    with transaction.atomic():
        membership.delete()
        audit.record(AuditEvent.Action.MEMBER_REMOVED, actor=request.user, company=company,
                     target=membership.user.email, detail={"role": membership.role}, request=request)
    messages.success(request, _("%(email)s no longer belongs to %(company)s.")
                     % {"email": membership.user.email, "company": company.name})
    if membership.user_id == request.user.pk:
        return redirect("home")
    return redirect("company_people", company_id=company.pk)


@login_required
@require_POST
def member_role(request: HttpRequest, company_id: object, membership_id: int) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    membership = _membership_or_404(company, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner or member."))
        return redirect("company_people", company_id=company.pk)
    new_role = form.cleaned_data["role"]
    if new_role == membership.role:
        return redirect("company_people", company_id=company.pk)
    if new_role != Membership.Role.OWNER and _is_last_owner(membership):
        messages.error(request, _("%(company)s needs at least one owner. Make someone else an owner first.")
                       % {"company": company.name})
        return redirect("company_people", company_id=company.pk)
    old_role = membership.role
    with transaction.atomic():
        membership.role = new_role
        membership.save(update_fields=["role"])
        audit.record(AuditEvent.Action.ROLE_CHANGED, actor=request.user, company=company,
                     target=membership.user.email, detail={"from": old_role, "to": new_role}, request=request)
    messages.success(request, _("%(email)s is now %(role)s.")
                     % {"email": membership.user.email, "role": membership.get_role_display()})
    if membership.user_id == request.user.pk and new_role != Membership.Role.OWNER:
        return redirect(company_start_url(company.pk))
    return redirect("company_people", company_id=company.pk)


@login_required
@require_POST
def advisor_grant(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    form = AdvisorGrantForm(request.POST)
    if not form.is_valid():
        return _people_page(request, company, advisor_form=form, status=400)
    email = form.cleaned_data["email"]
    # Only the programme's own advisors can be chosen; the answer is the same whether or not the address has
    # an account, so the form cannot be used to find out who uses the platform.
    role = (
        ProgrammeRole.objects.select_related("user")
        .filter(user__email__iexact=email, programme=company.programme, role=ProgrammeRole.Role.ADVISOR,
                user__is_active=True)
        .first()
    )
    if role is None:
        form.add_error("email", _("No advisor of the programme “%(programme)s” has this email address. Ask the "
                                  "programme for its advisors' addresses.") % {"programme": company.programme.name})
        return _people_page(request, company, advisor_form=form, status=400)
    advisor: User = role.user
    if AdvisorConsent.objects.filter(company=company, advisor=advisor, revoked_at__isnull=True).exists():
        messages.info(request, _("%(email)s can already see your results.") % {"email": advisor.email})
        return redirect("company_people", company_id=company.pk)
    with transaction.atomic():
        AdvisorConsent.objects.create(company=company, advisor=advisor, granted_by=request.user)
        audit.record(AuditEvent.Action.CONSENT_GRANTED, actor=request.user, company=company, target=advisor.email,
                     request=request)
    messages.success(request, _("%(email)s can now see your results, until you revoke it.")
                     % {"email": advisor.email})
    return redirect("company_people", company_id=company.pk)


@login_required
@require_POST
def consent_revoke(request: HttpRequest, company_id: object, consent_id: int) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    consent = company.advisor_consents.select_related("advisor").filter(pk=consent_id, revoked_at__isnull=True).first()
    if consent is None:
        raise Http404
    with transaction.atomic():
        consent.revoked_at = timezone.now()
        consent.revoked_by = request.user
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(AuditEvent.Action.CONSENT_REVOKED, actor=request.user, company=company,
                     target=consent.advisor.email, request=request)
    messages.success(request, _("%(email)s can no longer see your results.") % {"email": consent.advisor.email})
    return redirect("company_people", company_id=company.pk)


@login_required
@require_POST
def company_sharing(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    share = request.POST.get("share") == "on"
    if share and company.shared_with_programme_at is None:
        company.shared_with_programme_at = timezone.now()
        action = AuditEvent.Action.SHARING_ON
        text = _("The coordinators of %(programme)s can now see your results.")
    elif not share and company.shared_with_programme_at is not None:
        company.shared_with_programme_at = None
        action = AuditEvent.Action.SHARING_OFF
        text = _("The coordinators of %(programme)s no longer see your results.")
    else:
        return redirect("company_people", company_id=company.pk)
    with transaction.atomic():
        company.save(update_fields=["shared_with_programme_at"])
        audit.record(action, actor=request.user, company=company, programme=company.programme,
                     target=company.programme.name, request=request)
    messages.success(request, text % {"programme": company.programme.name})
    return redirect("company_people", company_id=company.pk)


def invitation_accept(request: HttpRequest, invitation_token: str) -> HttpResponse:
    """GET shows whose invitation this is and what to do; POST (signed in, invited address) accepts it."""
    invitation = invitations.open_invitation(invitation_token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user
    if not user.is_authenticated:
        invitations.remember(request, invitation.token)  # accepted by the adapter after login or sign-up
        return render(request, "accounts/invitation.html", {"invitation": invitation, "state": "anonymous"})
    if not invitations.email_matches(user, invitation):
        return render(request, "accounts/invitation.html", {"invitation": invitation, "state": "other_address"})
    if request.method == "POST":
        invitations.accept(invitation, user, request=request)
        messages.success(request, _("You have joined %(company)s.") % {"company": invitation.company.name})
        return redirect(company_start_url(invitation.company_id))
    return render(request, "accounts/invitation.html", {"invitation": invitation, "state": "ready"})
