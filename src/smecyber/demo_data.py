"""The demo world `smecyber run` creates once: a support organisation, its programme, a coordinator, an
advisor and fourteen SMEs whose domains are lab domains with known problems. Most of them have a submitted
self-assessment (and so an action plan), and five Swedish shops elsewhere on the platform have one too, so
that Demo Shop's owner sees a peer benchmark.

Passwords are random, returned once to be printed, and stored only as hashes (Argon2). Running again finds
the organisation and creates nothing; a forgotten password is reset with `smecyber manage changepassword EMAIL`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from smecyber.accounts.models import Company, Programme, User

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


PEER_ORGANISATION = "Nordic Retail Network"
PEER_PROGRAMME = "Safer Shops Sweden"


@dataclass(frozen=True)
class DemoAssessment:
    """A demo SME's self-assessment: the profile beyond what the company record keeps, and how far along it
    is (0..1) — its answers scatter around that, the same on every run (seeded by the company's name)."""

    practice: float
    employees: int | None = None
    turnover_meur: float | None = None
    places_products: bool = False
    personal_data: tuple[str, ...] = ()
    nis2_sector: str = ""  # an id of catalog/questionnaire/nis2_sectors.yaml


# Aarhus Organic Farm and Kiel Harbour Hotel have none: the "not done yet" state stays visible.
ASSESSMENTS: dict[str, DemoAssessment] = {
    "Demo Shop": DemoAssessment(0.45, employees=18, turnover_meur=2.4),
    "Daugava Software": DemoAssessment(0.6, employees=32, turnover_meur=3.8, places_products=True),
    "Neris Logistics": DemoAssessment(0.4, employees=120, turnover_meur=24.0, nis2_sector="transport.road"),
    "Tallinn Bakery": DemoAssessment(0.25, employees=7, turnover_meur=0.6),
    "Turku Design Studio": DemoAssessment(0.5, employees=4, turnover_meur=0.4),
    "Gdańsk Marine Parts": DemoAssessment(0.55, employees=85, turnover_meur=14.0,
                                          nis2_sector="manufacturing.other_transport_equipment"),
    "Malmö Bike Repair": DemoAssessment(0.2, employees=3, turnover_meur=0.3),
    "Riga Dental Clinic": DemoAssessment(0.5, employees=14, turnover_meur=1.5, personal_data=("patients",),
                                         nis2_sector="health.healthcare_providers"),
    "Kaunas Code Works": DemoAssessment(0.35, employees=6, turnover_meur=0.5, places_products=True),
    "Tartu Accounting": DemoAssessment(0.65, employees=22, turnover_meur=1.9),
    "Oulu Timber": DemoAssessment(0.3, employees=140, turnover_meur=31.0),
    "Szczecin Web Agency": DemoAssessment(0.55, employees=19, turnover_meur=1.6, personal_data=("citizens",)),
}

# Demo Shop's peers (same country, size band and sector: SE, small, G retail): a self-assessment only — no
# domains, no logins — in a programme of their own, so the demo programme's figures stay as they were.
PEERS: tuple[tuple[str, DemoAssessment], ...] = (
    ("Uppsala Bokhandel", DemoAssessment(0.35, employees=12, turnover_meur=1.8)),
    ("Lunds Blomsterhandel", DemoAssessment(0.3, employees=11, turnover_meur=1.1)),
    ("Västerås Järnhandel", DemoAssessment(0.55, employees=24, turnover_meur=4.5)),
    ("Örebro Leksaksbutik", DemoAssessment(0.6, employees=15, turnover_meur=2.2)),
    ("Norrköpings Cykel & Sport", DemoAssessment(0.75, employees=28, turnover_meur=5.1)),
)
PEER_SHAPE = {"country": "SE", "size_band": "small", "sector": "G", "builds_software": False}


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


def _person(email: str, logins: DemoLogins, role: str, first_name: str, last_name: str) -> User:
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
        if spec.name in ASSESSMENTS:
            submit_demo_assessment(company, ASSESSMENTS[spec.name], owner if index == 0 else None)

    peers = Programme.objects.create(
        organisation=SupportOrganisation.objects.create(name=PEER_ORGANISATION,
                                                        kind=SupportOrganisation.Kind.OTHER, country="SE"),
        name=PEER_PROGRAMME, open_for_signup=False,
        description="A demo programme: five Swedish shops with a self-assessment only (no domains, no logins), "
                    "so that Demo Shop's peer benchmark has a group to compare with.",
    )
    for name, spec in PEERS:
        company = Company.objects.create(programme=peers, name=name, **PEER_SHAPE)
        submit_demo_assessment(company, spec, None)
    create_demo_survey(programme, coordinator)
    demo_shop = Company.objects.get(programme=programme, name=COMPANIES[0].name)
    create_demo_incidents(demo_shop, owner)
    return logins


SURVEY_RESPONSES = 160  # enough that the country and size breakdowns clear the small-group rule
SURVEY_COUNTRIES = ("SE", "LV", "LT", "EE", "FI")
SURVEY_SECTORS = ("C", "G", "J", "M")


def create_demo_survey(programme: Programme, coordinator: User) -> None:
    """A closed needs survey with synthetic answers (the statistics page and the evidence pack have figures),
    and an open one with no answers yet (its anonymous link can be tried)."""
    from smecyber.surveys import services

    rng = random.Random("demo survey")
    campaign = services.create_campaign(programme, coordinator, title="Needs survey 2026 (demo answers)")
    services.open_campaign(campaign, coordinator)
    dimensions = {"country": SURVEY_COUNTRIES, "sector": SURVEY_SECTORS}
    for _ in range(SURVEY_RESPONSES):
        answers: dict[str, list[str]] = {}
        for question in services.questions_of(campaign):
            if question.id in dimensions:
                answers[question.id] = [rng.choice(dimensions[question.id])]
            elif question.kind == "single":
                answers[question.id] = [rng.choice(question.options)]
            else:
                options = [o for o in question.options if o != question.exclusive]
                chosen = [o for o in options if rng.random() < 0.45]
                answers[question.id] = chosen or ([question.exclusive] if question.exclusive else [options[0]])
        services.submit_response(campaign, answers, language=rng.choice(("en", "sv", "lv", "lt")))
    services.close_campaign(campaign, coordinator)
    services.open_campaign(services.create_campaign(programme, coordinator, title="Needs survey 2027"), coordinator)


def create_demo_incidents(company: Company, owner: User) -> None:
    from smecyber.incidents.models import Incident

    now = timezone.now()
    Incident.objects.create(company=company, kind="phishing", title="Fake parcel-delivery email to the shop address",
                            occurred_at=now - timedelta(days=40), detected_at=now - timedelta(days=40),
                            affected=["email"], impact="minor", cost_band="none", created_by=owner,
                            notes="One person entered their password; it was changed within the hour.")
    Incident.objects.create(company=company, kind="invoice_fraud", title="Supplier's 'new bank account' letter",
                            occurred_at=now - timedelta(days=3), detected_at=now - timedelta(days=2),
                            affected=["payment"], impact="significant", cost_band="1k_10k", reported=True,
                            reported_to=["police"], created_by=owner)


def demo_answers(questions: Mapping[str, tuple[str, ...]], seed: str, practice: float) -> dict[str, str]:
    """Plausible answers: ``questions`` maps each applicable question id to its scale's step keys (in scale
    order, "na" last). Each answer scatters around ``practice`` (0..1); a few practices do not apply."""
    rng = random.Random(seed)  # deterministic on purpose: the same demo on every machine
    answers: dict[str, str] = {}
    for qid, keys in questions.items():
        values = [k for k in keys if k != "na"]
        if "na" in keys and rng.random() < 0.04:
            answers[qid] = "na"
            continue
        level = min(0.999, max(0.0, rng.gauss(practice, 0.28)))
        answers[qid] = values[int(level * len(values))]
    return answers


def submit_demo_assessment(company: Company, spec: DemoAssessment, user: User | None) -> None:
    """Fill in and submit a self-assessment through the platform's own services (scores, company record and
    action plan are then exactly what a real submission gives)."""
    from smecyber.assessments import services
    from smecyber.methodology.applicability import applicable_questions

    assessment = services.start_assessment(company, user)
    profile = services.save_profile(assessment, {
        "employees": spec.employees, "turnover_meur": spec.turnover_meur, "places_products": spec.places_products,
        "personal_data": list(spec.personal_data), "nis2_sector": spec.nis2_sector,
    })
    q = services.questionnaire()
    questions = {question.id: q.scale_of(question).keys for question in applicable_questions(q, profile)}
    services.save_answers(assessment, demo_answers(questions, company.name, spec.practice), user)
    services.submit(assessment, user)
