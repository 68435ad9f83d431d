"""Adding and removing an SME's domains."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from smecyber.accounts.audit import record
from smecyber.accounts.models import AuditEvent, Company, User
from smecyber.checks.errors import InvalidDomainError
from smecyber.checks.targets import normalize_domain, unicode_name

from .models import Domain

MONTH_DAYS = 30
_ONE_NUMBER = re.compile(r"0x[0-9a-f]+|[0-9]+")


class DomainInputError(ValueError):
    """A domain name the platform will not accept; ``message`` is translated and fit to show the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def add_domain(company: Company, raw_name: str, *, user: User | None, request: HttpRequest | None = None) -> Domain:
    """Add ``raw_name`` (Unicode or punycode) to ``company``'s domains. Raises :class:`DomainInputError`.

    Any domain may be added and passively scanned (public DNS records, one HTTPS request, as any visitor
    would make); proving ownership (``verification.verify_domain``) is what later unlocks intrusive checks.
    """
    name = clean_domain_name(raw_name)
    if Domain.objects.filter(company=company, name=name).exists():
        raise DomainInputError(_("%(domain)s is already in your list.") % {"domain": unicode_name(name)})
    domain = Domain(company=company, name=name, display_name=unicode_name(name), added_by=user)
    domain.next_scan_at = next_scan_after(timezone.now(), domain.schedule)
    try:
        with transaction.atomic():
            domain.save()
            record(AuditEvent.Action.DOMAIN_ADDED, actor=user, company=company, target=name, request=request)
    except IntegrityError:  # the same name added at the same moment by a colleague
        raise DomainInputError(_("%(domain)s is already in your list.") % {"domain": unicode_name(name)}) from None
    return domain


def remove_domain(domain: Domain, *, user: User | None, request: HttpRequest | None = None) -> None:
    """Delete the domain with its scans and findings (the audit log keeps that it was removed)."""
    with transaction.atomic():
        record(AuditEvent.Action.DOMAIN_REMOVED, actor=user, company=domain.company, target=domain.name,
               request=request)
        domain.delete()


def set_schedule(domain: Domain, schedule: str) -> None:
    if schedule not in Domain.Schedule.values:
        raise DomainInputError(_("Choose one of the offered schedules."))
    domain.schedule = schedule
    domain.next_scan_at = next_scan_after(timezone.now(), schedule)
    domain.save(update_fields=["schedule", "next_scan_at"])


def next_scan_after(moment: dt.datetime, schedule: str) -> dt.datetime | None:
    """When the next automatic scan is due (None: only on request). Weekly = SCAN_SCHEDULE_DAYS days."""
    if schedule == Domain.Schedule.WEEKLY:
        return moment + dt.timedelta(days=settings.SCAN_SCHEDULE_DAYS)
    if schedule == Domain.Schedule.MONTHLY:
        return moment + dt.timedelta(days=MONTH_DAYS)
    return None


def clean_domain_name(raw_name: str) -> str:
    """The A-label form of a user's input, or :class:`DomainInputError` saying what to type instead."""
    try:
        return normalize_domain(raw_name or "")
    except InvalidDomainError as exc:
        if _ONE_NUMBER.fullmatch((raw_name or "").strip().lower()):  # 2130706433 is 127.0.0.1 to many parsers
            raise DomainInputError(_explain("IP address")) from None
        raise DomainInputError(_explain(exc.reason)) from None


def _explain(reason: str) -> str:
    """The engine's reasons are English one-liners; a user gets the same advice in their own language."""
    if reason == "empty name":
        return _("Enter a domain name, for example example.com.")
    if "URL or e-mail" in reason:
        return _("Enter the domain name only, for example example.com — without https://, a path or an @.")
    if "IP address" in reason:
        return _("IP addresses are not accepted. Enter a domain name, for example example.com.")
    if "at least two labels" in reason:
        return _("A domain name has at least two parts separated by a dot, for example example.com.")
    if "longer than" in reason:
        return _("This name is too long to be a domain name.")
    if "two dots" in reason:
        return _("A domain name cannot have two dots in a row.")
    if "internationalised" in reason or "punycode" in reason:
        return _("This is not a valid internationalised domain name.")
    return _("This is not a valid domain name: it can contain only letters, digits, hyphens and dots.")
