"""Fixtures of the survey tests: programme P with SMEs A and B (their people), a coordinator of P, a
coordinator of another programme Q, and P's campaign from the packaged template (draft or open)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from smecyber.accounts.models import Company, Membership, Programme, ProgrammeRole, SupportOrganisation, User
from smecyber.surveys import services
from smecyber.surveys.models import Campaign
from tests.web.world import make_user


@dataclass
class SurveyWorld:
    programme: Programme
    other_programme: Programme
    a: Company
    b: Company
    owner: User  # owner of A
    member: User  # member of A
    b_member: User
    coordinator: User  # of P
    other_coordinator: User  # of Q only

    def client(self, user: User | None = None) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def sw(db: None) -> SurveyWorld:
    org = SupportOrganisation.objects.create(name="Baltic IT Cluster", country="SE")
    programme = Programme.objects.create(organisation=org, name="Programme P")
    other = Programme.objects.create(organisation=org, name="Programme Q")
    a = Company.objects.create(programme=programme, name="Alpha AB", country="SE", sector="J", size_band="small",
                               builds_software=True)
    b = Company.objects.create(programme=programme, name="Beta SIA", country="LV")
    users = {name: make_user(f"{name}@example.test")
             for name in ("owner", "member", "b-member", "coordinator", "other-coordinator")}
    Membership.objects.create(user=users["owner"], company=a, role=Membership.Role.OWNER)
    Membership.objects.create(user=users["member"], company=a, role=Membership.Role.MEMBER)
    Membership.objects.create(user=users["b-member"], company=b, role=Membership.Role.MEMBER)
    ProgrammeRole.objects.create(user=users["coordinator"], programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    ProgrammeRole.objects.create(user=users["other-coordinator"], programme=other,
                                 role=ProgrammeRole.Role.COORDINATOR)
    return SurveyWorld(programme, other, a, b, users["owner"], users["member"], users["b-member"],
                       users["coordinator"], users["other-coordinator"])


@pytest.fixture
def draft(sw: SurveyWorld) -> Campaign:
    return services.create_campaign(sw.programme, sw.coordinator, title="Needs survey 2026")


@pytest.fixture
def campaign(sw: SurveyWorld, draft: Campaign) -> Campaign:
    """P's campaign, open."""
    return services.open_campaign(draft, sw.coordinator)
