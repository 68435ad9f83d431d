"""Fixtures of the self-assessment tests: a small world (SME A with its people, an advisor with consent, a
coordinator, SME B) and the small test questionnaire (tests/catalog/fixtures/questionnaire_min) in place of the
packaged one.

The small questionnaire: area governance (governance.owner, yes/no, weight 3, for everyone;
governance.risk_review, practice scale, weight 2, from size "small"), area development (software only:
development.dependencies, practice, weight 2, only when the company places products on the EU market, mapped
to CRA I.2.a and II.1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from smecyber.accounts.models import (
    AdvisorConsent,
    Company,
    Programme,
    User,
)
from smecyber.assessments import plan_service, services
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.catalog.questionnaire_model import Questionnaire
from tests.accounts import helpers as accounts_helpers

MIN_QUESTIONNAIRE = Path(__file__).parents[1] / "catalog" / "fixtures" / "questionnaire_min"


class World(accounts_helpers.World):
    """The accounts tests' world (programme, SMEs A and B, their people, an advisor, a coordinator), where A has
    granted the advisor access."""

    def client(self, user: User | None) -> Client:
        return accounts_helpers.client_for(user)


make_user = accounts_helpers.make_user


def make_company(programme: Programme, name: str, *, country: str = "LV", sector: str = "J",
                 size_band: str = "micro", builds_software: bool = False) -> Company:
    return Company.objects.create(programme=programme, name=name, country=country, sector=sector,
                                  size_band=size_band, builds_software=builds_software)


def build_world() -> World:
    world = World(**vars(accounts_helpers.build_world()))
    AdvisorConsent.objects.create(company=world.a, advisor=world.advisor, granted_by=world.owner)
    return world


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
    monkeypatch.setattr(plan_service, "load_questionnaire", lambda directory=None: min_q)
    return min_q
