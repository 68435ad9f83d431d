"""Fixtures of the self-assessment tests: a small world (SME A with its people, an advisor with consent, a
coordinator, SME B) and the small test questionnaire (tests/catalog/fixtures/questionnaire_min) in place of the
packaged one.

The small questionnaire: area governance (governance.owner, yes/no, weight 3, for everyone;
governance.risk_review, practice scale, weight 2, from size "small"), area development (software only:
development.dependencies, practice, weight 2, only when the company places products on the EU market, mapped
to CRA I.2.a and II.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from smecyber.accounts.models import (
    AdvisorConsent,
    Company,
    Membership,
    Programme,
    ProgrammeRole,
    SupportOrganisation,
    User,
)
from smecyber.assessments import services
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.catalog.questionnaire_model import Questionnaire

MIN_QUESTIONNAIRE = Path(__file__).parents[1] / "catalog" / "fixtures" / "questionnaire_min"


@dataclass
class World:
    programme: Programme
    a: Company
    b: Company
    owner: User
    member: User
    other_sme: User
    advisor: User
    coordinator: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def make_user(email: str) -> User:
    user = User.objects.create_user(email=email, password=None)  # force_login only: no slow hashing
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_company(programme: Programme, name: str, *, country: str = "LV", sector: str = "J",
                 size_band: str = "micro", builds_software: bool = False) -> Company:
    return Company.objects.create(programme=programme, name=name, country=country, sector=sector,
                                  size_band=size_band, builds_software=builds_software)


def build_world() -> World:
    org = SupportOrganisation.objects.create(name="Baltic IT Cluster", country="LV")
    programme = Programme.objects.create(organisation=org, name="Secure Baltic SMEs")
    a = make_company(programme, "Alfa Software SIA")
    b = make_company(programme, "Beta Robotics AB", country="SE", sector="C")
    owner, member = make_user("owner@alfa.test"), make_user("member@alfa.test")
    other_sme, advisor = make_user("someone@beta.test"), make_user("advisor@cluster.test")
    coordinator = make_user("coordinator@cluster.test")
    Membership.objects.create(user=owner, company=a, role=Membership.Role.OWNER)
    Membership.objects.create(user=member, company=a, role=Membership.Role.MEMBER)
    Membership.objects.create(user=other_sme, company=b, role=Membership.Role.OWNER)
    ProgrammeRole.objects.create(user=advisor, programme=programme, role=ProgrammeRole.Role.ADVISOR)
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    AdvisorConsent.objects.create(company=a, advisor=advisor, granted_by=owner)
    return World(programme, a, b, owner, member, other_sme, advisor, coordinator)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(scope="session")
def min_q() -> Questionnaire:
    return load_questionnaire(MIN_QUESTIONNAIRE)


@pytest.fixture
def small_questionnaire(monkeypatch: pytest.MonkeyPatch, min_q: Questionnaire) -> Questionnaire:
    """Run the app on the small test questionnaire (the action plan too, which loads it on its own)."""
    monkeypatch.setattr(services, "questionnaire", lambda: min_q)
    try:
        from smecyber.assessments import plan_service
    except ImportError:  # not written yet
        return min_q
    if hasattr(plan_service, "load_questionnaire"):
        monkeypatch.setattr(plan_service, "load_questionnaire", lambda directory=None: min_q)
    return min_q
