"""A small world for the accounts tests: programme P with SMEs A (owner, member) and B, an advisor of P, a
coordinator of P; users have verified addresses, as allauth's mandatory verification requires to log in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.test import Client

from smecyber.accounts.models import Company, Membership, Programme, ProgrammeRole, SupportOrganisation, User

PASSWORD = "correct horse battery staple 42"


@cache
def _hashed(password: str) -> str:
    # Argon2 is slow on purpose; one hash (salt included) serves every test user with this password.
    return make_password(password)


def make_user(email: str, password: str = PASSWORD, *, verified: bool = True, **extra: object) -> User:
    user = User.objects.create(email=email, password=_hashed(password), **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


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


def build_world() -> World:
    org = SupportOrganisation.objects.create(name="Baltic IT Cluster", country="LV")
    programme = Programme.objects.create(organisation=org, name="Secure Baltic SMEs")
    a = Company.objects.create(programme=programme, name="Alfa Software SIA", country="LV", sector="J")
    b = Company.objects.create(programme=programme, name="Beta Robotics AB", country="SE", sector="C")
    owner = make_user("owner@alfa.test")
    member = make_user("member@alfa.test")
    other_sme = make_user("someone@beta.test")
    advisor = make_user("advisor@cluster.test")
    coordinator = make_user("coordinator@cluster.test")
    Membership.objects.create(user=owner, company=a, role=Membership.Role.OWNER)
    Membership.objects.create(user=member, company=a, role=Membership.Role.MEMBER)
    Membership.objects.create(user=other_sme, company=b, role=Membership.Role.OWNER)
    ProgrammeRole.objects.create(user=advisor, programme=programme, role=ProgrammeRole.Role.ADVISOR)
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    return World(programme, a, b, owner, member, other_sme, advisor, coordinator)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
