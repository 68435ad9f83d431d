"""Inviting colleagues into an SME by email, and accepting an invitation.

The link in the email carries a random token. Whoever opens it must be signed in with the invited address
(an address allauth verified, since login requires one); someone not signed in is asked to log in or sign
up first, and the token waits in their session until they are (``accept_from_session``, called by the
allauth adapter).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import audit
from .models import AuditEvent, Company, Invitation, Membership, User

INVITATION_VALID_DAYS = 14
SESSION_KEY = "smecyber.invitation_token"


def open_invitation(token: str) -> Invitation | None:
    """The invitation for ``token`` if it can still be accepted."""
    if not token:
        return None
    cutoff = timezone.now() - timedelta(days=INVITATION_VALID_DAYS)
    return (
        Invitation.objects.select_related("company")
        .filter(token=token, accepted_at__isnull=True, created_at__gte=cutoff)
        .first()
    )


def pending_invitations(company: Company) -> list[Invitation]:
    cutoff = timezone.now() - timedelta(days=INVITATION_VALID_DAYS)
    return list(company.invitations.filter(accepted_at__isnull=True, created_at__gte=cutoff).order_by("email"))


def invite(company: Company, email: str, role: str, *, by: User, request: HttpRequest | None) -> Invitation:
    """Create (or renew, with a fresh token) the invitation for ``email`` and send the link."""
    email = email.strip()
    with transaction.atomic():
        company.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(company=company, email=email, role=role, invited_by=by)
        audit.record(AuditEvent.Action.INVITATION_SENT, actor=by, company=company, target=email,
                     detail={"role": role}, request=request)
    link = settings.SITE_URL + reverse("invitation_accept", kwargs={"invitation_token": invitation.token})
    context = {"company": company, "inviter": by, "link": link, "days": INVITATION_VALID_DAYS,
               "role": invitation.get_role_display()}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [email])
    return invitation


def email_matches(user: User, invitation: Invitation) -> bool:
    """The signed-in user holds the invited address (their login address, or another verified one)."""
    if user.email.lower() == invitation.email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


def accept(invitation: Invitation, user: User, *, request: HttpRequest | None) -> Membership:
    """Make ``user`` a member (or owner, as invited). Someone already in the SME keeps their role."""
    with transaction.atomic():
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        existing = Membership.objects.filter(user=user, company=invitation.company).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, company=invitation.company, role=invitation.role)
        except IntegrityError:  # accepted twice at the same moment
            return Membership.objects.get(user=user, company=invitation.company)
        audit.record(AuditEvent.Action.MEMBER_ADDED, actor=user, company=invitation.company, target=user.email,
                     detail={"role": invitation.role, "invited_by": getattr(invitation.invited_by, "email", "")},
                     request=request)
    return membership


def remember(request: HttpRequest, token: str) -> None:
    request.session[SESSION_KEY] = token


def accept_from_session(request: HttpRequest) -> tuple[Company | None, bool]:
    """After login or sign-up: accept the invitation whose link brought this person here.

    Returns (company, accepted). ``company`` is set when an invitation was waiting; ``accepted`` says
    whether it matched the signed-in address (if not, it stays open for the right person).
    """
    token = request.session.pop(SESSION_KEY, None)
    invitation = open_invitation(token) if token else None
    if invitation is None or not request.user.is_authenticated:
        return None, False
    if not email_matches(request.user, invitation):
        return invitation.company, False
    accept(invitation, request.user, request=request)
    return invitation.company, True
