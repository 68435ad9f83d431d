"""The demo world `smecyber run` creates once: a support organisation, its programme, a coordinator, an
advisor and fourteen SMEs whose domains are lab domains with known problems.

Passwords are random, returned once to be printed, and stored only as hashes (Argon2). Running again finds
the organisation and creates nothing; a forgotten password is reset with `smecyber manage changepassword EMAIL`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

ORGANISATION = "Baltic IT Cluster"
PROGRAMME = "Secure Baltic SMEs"
COORDINATOR_EMAIL = "coordinator@baltic-it.test"
ADVISOR_EMAIL = "advisor@baltic-it.test"
OWNER_EMAIL = "owner@demo-shop.test"


@dataclass(frozen=True)
class DemoCompany:
    name: str
    country: str
    size_band: str
    sector: str  # NACE section
    builds_software: bool
    domains: tuple[str, ...]  # lab domains (src/smecyber/lab/domains/), each misconfigured in a known way
    shares_with_programme: bool = False


# Fourteen SMEs, so that some programme aggregates clear the small-group rule (AGGREGATE_MIN_GROUP defaults
# to 5) and others show it at work. No hostile lab domain (slow.test, tls-reset.test ...), so the first scans
# finish in seconds.
COMPANIES: tuple[DemoCompany, ...] = (
    DemoCompany("Demo Shop", "SE", "small", "G", False, ("good.test", "web-no-hsts.test")),
    DemoCompany("Daugava Software", "LV", "small", "J", True, ("insecure.test", "spf-softfail.test"),
                shares_with_programme=True),
    DemoCompany("Neris Logistics", "LT", "medium", "H", False, ("cert-expired.test",)),
    DemoCompany("Tallinn Bakery", "EE", "micro", "C", False, ("dmarc-none.test", "mail-no-spf.test")),
    DemoCompany("Turku Design Studio", "FI", "micro", "M", True, ("tls-legacy.test",),
                shares_with_programme=True),
    DemoCompany("Gdańsk Marine Parts", "PL", "medium", "C", False, ("web-aplus.test", "dns-no-caa.test")),
    DemoCompany("Malmö Bike Repair", "SE", "micro", "S", False, ("dmarc-missing.test",)),
    DemoCompany("Riga Dental Clinic", "LV", "small", "Q", False, ("web-hsts-short.test", "mail-dmarc-testing.test")),
    DemoCompany("Kaunas Code Works", "LT", "micro", "J", True, ("web-csp-unsafe-inline.test",)),
    DemoCompany("Tartu Accounting", "EE", "small", "M", False, ("dkim-weak.test",)),
    DemoCompany("Oulu Timber", "FI", "medium", "C", False, ("web-no-redirect.test", "single-ns.test")),
    DemoCompany("Szczecin Web Agency", "PL", "small", "J", True, ("web-bad-cookies.test",)),
    DemoCompany("Aarhus Organic Farm", "DK", "micro", "A", False, ("mta-sts-testing.test",)),
    DemoCompany("Kiel Harbour Hotel", "DE", "small", "I", False, ("web-no-securitytxt.test",)),
)


@dataclass
class DemoLogins:
    """The people created, with the passwords to print once."""

    passwords: dict[str, str] = field(default_factory=dict)  # email -> password
    roles: dict[str, str] = field(default_factory=dict)  # email -> what they can do


def demo_exists() -> bool:
    from smecyber.accounts.models import SupportOrganisation

    return SupportOrganisation.objects.filter(name=ORGANISATION).exists()


def demo_domain_names() -> list[str]:
    return [name for company in COMPANIES for name in company.domains]


def new_password() -> str:
    # 16 URL-safe characters from 12 random bytes: passes every validator in settings and is easy to copy
    return secrets.token_urlsafe(12)


def _person(email: str, logins: DemoLogins, role: str, first_name: str, last_name: str) -> object:
    from allauth.account.models import EmailAddress

    from smecyber.accounts.models import User

    password = new_password()
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    # allauth asks for a verified address before the first login (ACCOUNT_EMAIL_VERIFICATION = mandatory)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    logins.passwords[email] = password
    logins.roles[email] = role
    return user


@transaction.atomic
def create_demo_data() -> DemoLogins | None:
    """Create the demo world; ``None`` when it exists already (nothing is changed then)."""
    from smecyber.accounts.audit import record
    from smecyber.accounts.models import (
        AdvisorConsent,
        AuditEvent,
        Company,
        Membership,
        Programme,
        ProgrammeRole,
        SupportOrganisation,
    )
    from smecyber.assets.models import Domain

    if demo_exists():
        return None
    now = timezone.now()
    next_scan = now + timedelta(days=settings.SCAN_SCHEDULE_DAYS)  # `smecyber run` queues the first scans itself
    logins = DemoLogins()
    organisation = SupportOrganisation.objects.create(name=ORGANISATION, kind=SupportOrganisation.Kind.CLUSTER,
                                                      country="LV")
    programme = Programme.objects.create(
        organisation=organisation, name=PROGRAMME,
        description="A demo programme: fourteen SMEs around the Baltic Sea whose domains live in the local lab.",
    )
    coordinator = _person(COORDINATOR_EMAIL, logins, "coordinator of the programme (aggregates, batches)",
                          "Ilze", "Coordinator")
    advisor = _person(ADVISOR_EMAIL, logins, "advisor (Demo Shop granted consent)", "Jonas", "Advisor")
    owner = _person(OWNER_EMAIL, logins, "owner of Demo Shop", "Anna", "Owner")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    ProgrammeRole.objects.create(user=advisor, programme=programme, role=ProgrammeRole.Role.ADVISOR)

    for index, spec in enumerate(COMPANIES):
        company = Company.objects.create(
            programme=programme, name=spec.name, country=spec.country, size_band=spec.size_band,
            sector=spec.sector, builds_software=spec.builds_software,
            shared_with_programme_at=now if spec.shares_with_programme else None,
        )
        for name in spec.domains:
            # The lab's domains cannot carry a verification token, so the demo marks them verified.
            Domain.objects.create(
                company=company, name=name, display_name=name, added_by=owner if index == 0 else None,
                verified_at=now, verified_method=Domain.Method.DNS, next_scan_at=next_scan,
            )
        if index == 0:
            Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
            AdvisorConsent.objects.create(company=company, advisor=advisor, granted_by=owner)
            record(AuditEvent.Action.CONSENT_GRANTED, actor=owner, company=company, target=ADVISOR_EMAIL)
    return logins
