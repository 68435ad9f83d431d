"""People, organisations and who may see what.

A support organisation runs programmes; SMEs (``Company``) join one programme. Roles:
- ``Membership``: an SME's owner or member;
- ``ProgrammeRole``: a programme's coordinator or advisor;
- ``AdvisorConsent``: an SME lets one advisor see its results, until it revokes (kept as a log);
- ``Company.shared_with_programme_at``: the SME lets its programme's coordinators see its named results.
Platform admins are Django superusers. Every rule lives in ``permissions.py``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):  # type: ignore[no-untyped-def]
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def,override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def,override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A person, identified by email address (no user name)."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    alerts_enabled = models.BooleanField(_("email alerts"), default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()  # type: ignore[misc]

    def __str__(self) -> str:
        return self.email


class SupportOrganisation(models.Model):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("IT cluster")
        UNIVERSITY = "university", _("university")
        PUBLIC_BODY = "public_body", _("public body")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLUSTER)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. SE"))

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(SupportOrganisation, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    require_two_factor = models.BooleanField(_("two-factor login required"), default=False)
    open_for_signup = models.BooleanField(_("SMEs may join"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ProgrammeRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        ADVISOR = "advisor", _("advisor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "programme", "role"], name="unique_programme_role")]


class Company(models.Model):
    """An SME."""

    class SizeBand(models.TextChoices):
        MICRO = "micro", _("micro (fewer than 10 people)")
        SMALL = "small", _("small (10–49 people)")
        MEDIUM = "medium", _("medium (50–249 people)")
        LARGE = "large", _("large (250 or more people)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="companies")
    name = models.CharField(_("company name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    sector = models.CharField(_("sector (NACE section)"), max_length=1, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, default=SizeBand.MICRO)
    builds_software = models.BooleanField(_("builds software or digital products"), default=False)
    # When set, the programme's coordinators may see this SME's named results (its own choice; logged).
    shared_with_programme_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="unique_membership")]


class AdvisorConsent(models.Model):
    """One grant of access to one advisor. Revoking keeps the row (the consent log)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="advisor_consents")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["advisor", "company", "revoked_at"])]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner invites a colleague by email; accepting makes them a member."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)


class AuditEvent(models.Model):
    """Who did what to which SME's data. Written by ``audit.record``; shown to the SME for its own data."""

    class Action(models.TextChoices):
        VIEW_RESULTS = "view_results", _("viewed results")
        VIEW_REPORT = "view_report", _("viewed the report")
        EXPORT = "export", _("exported data")
        CONSENT_GRANTED = "consent_granted", _("granted an advisor access")
        CONSENT_REVOKED = "consent_revoked", _("revoked an advisor's access")
        SHARING_ON = "sharing_on", _("shared results with the programme")
        SHARING_OFF = "sharing_off", _("stopped sharing results with the programme")
        ROLE_CHANGED = "role_changed", _("changed a role")
        MEMBER_ADDED = "member_added", _("added a member")
        MEMBER_REMOVED = "member_removed", _("removed a member")
        DOMAIN_ADDED = "domain_added", _("added a domain")
        DOMAIN_REMOVED = "domain_removed", _("removed a domain")
        DOMAIN_VERIFIED = "domain_verified", _("verified a domain")
        SCAN_REQUESTED = "scan_requested", _("requested a scan")
        TOKEN_CREATED = "token_created", _("created an API token")
        TOKEN_REVOKED = "token_revoked", _("revoked an API token")
        ACCOUNT_DELETED = "account_deleted", _("deleted the company's data")
        COMPANY_CREATED = "company_created", _("registered the company")
        INVITATION_SENT = "invitation_sent", _("invited a person")
        USER_DELETED = "user_deleted", _("deleted their account")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_email = models.EmailField(blank=True)  # kept when the actor's account is gone
    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="audit_events")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    target = models.CharField(max_length=255, blank=True)  # e.g. a domain name or a person's email
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["company", "-at"])]


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)  # shown in lists so a user can tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        token = "smc_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, prefix=token[:12], digest=cls.hash(token)), token
