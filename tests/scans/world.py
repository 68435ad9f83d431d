"""The people and companies the asset and scan tests act as, and the platform pointed at the lab.

SME A (owner, member, a member who switched alerts off), SME B (other_sme) in the same programme, an
advisor A granted consent to, one without consent, and the programme's coordinator (A does not share).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from smecyber.accounts.models import (
    AdvisorConsent,
    Company,
    Membership,
    Programme,
    ProgrammeRole,
    SupportOrganisation,
    User,
)
from smecyber.assets.models import Domain
from smecyber.lab.lab import Lab
from smecyber.scans.models import Scan, ScanFinding, ScanStatus


@dataclass
class World:
    programme: Programme
    company: Company
    other_company: Company
    owner: User
    member: User
    quiet_member: User
    other_sme: User
    advisor_with_consent: User
    advisor_without_consent: User
    coordinator: User

    def client(self, who: str | None) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        if who is not None:
            client.force_login(getattr(self, who))
        return client


@pytest.fixture
def world(db: Any) -> World:
    org = SupportOrganisation.objects.create(name="Cluster", country="SE")
    programme = Programme.objects.create(organisation=org, name="Secure SMEs")
    company = Company.objects.create(programme=programme, name="A AB", country="SE")
    other = Company.objects.create(programme=programme, name="B AB", country="SE")

    def user(email: str, **extra: Any) -> User:
        return User.objects.create_user(email=email, password=None, **extra)  # unusable: no slow hashing

    w = World(programme, company, other, user("owner@a.test", language="sv"), user("member@a.test", language="en"),
              user("quiet@a.test", alerts_enabled=False), user("member@b.test"), user("advisor@x.test"),
              user("advisor2@x.test"), user("coord@cluster.test"))
    Membership.objects.create(user=w.owner, company=company, role=Membership.Role.OWNER)
    Membership.objects.create(user=w.member, company=company, role=Membership.Role.MEMBER)
    Membership.objects.create(user=w.quiet_member, company=company, role=Membership.Role.MEMBER)
    Membership.objects.create(user=w.other_sme, company=other, role=Membership.Role.OWNER)
    AdvisorConsent.objects.create(company=company, advisor=w.advisor_with_consent, granted_by=w.owner)
    ProgrammeRole.objects.create(user=w.coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    return w


@pytest.fixture
def lab_settings(settings: Any, lab: Lab) -> Any:
    """The platform's scanner pointed at the lab (its resolver and CA; loopback allowed)."""
    settings.SCAN_NAMESERVERS = [lab.nameserver]
    settings.SCAN_CA_FILE = str(lab.ca_file)
    settings.SCAN_ALLOW_LOOPBACK = True
    settings.SCAN_TIMEOUT = 10.0
    settings.SCAN_TOTAL_TIMEOUT = 60.0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return settings


def make_domain(company: Company, name: str, **extra: Any) -> Domain:
    extra.setdefault("display_name", name)
    return Domain.objects.create(company=company, name=name, **extra)


Row = tuple[str, str, str, str] | tuple[str, str, str, str, dict[str, Any]]


def stored_scan(domain: Domain, findings: list[Row], *, overall: tuple[int, str] = (100, "A+"),
                age_days: float = 0, status: str = ScanStatus.DONE, **extra: Any) -> Scan:
    """A finished scan as the runner stores it; findings are (check_id, key, status, subject[, evidence])."""
    created = timezone.now() - dt.timedelta(days=age_days)
    grades = {"overall": {"score": overall[0], "letter": overall[1], "deductions": [], "note": None}}
    scan = Scan.objects.create(domain=domain, status=status, created_at=created, finished_at=created,
                               grades=grades if status == ScanStatus.DONE else {}, **extra)
    rows = []
    for check, key, st, subject, *rest in findings:
        group = check.split(".")[0] if check.split(".")[0] in ("mail", "dns", "web") else "tls"
        rows.append(ScanFinding(scan=scan, check_id=check, key=key, status=st, subject=subject,
                                severity="high" if st == "fail" else "none", evidence=rest[0] if rest else {},
                                score_group=group))
    ScanFinding.objects.bulk_create(rows)
    return scan
