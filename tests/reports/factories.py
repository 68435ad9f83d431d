"""Rows for the reports tests, shaped as the scan runner stores them (Grade.to_dict(), facts.py's facts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from smecyber.accounts.models import Company, Membership, Programme, ProgrammeRole, SupportOrganisation, User
from smecyber.assets.models import Domain
from smecyber.checks.model import GRADE_KEYS, Grade
from smecyber.checks.scoring import letter_for
from smecyber.scans.models import Batch, BatchEntry, Scan, ScanFinding, ScanStatus
from tests.web.world import make_user

# (key, status, severity) of realistic problems, with the check that reports them
CHECK_OF = {
    "mail.dmarc.missing": "mail.dmarc", "mail.dmarc.policy_none": "mail.dmarc", "mail.spf.softfail_all": "mail.spf",
    "web.hsts.missing": "web.hsts", "dns.dnssec.insecure": "dns.dnssec", "dns.caa.missing": "dns.caa",
    "tls.protocols.no_tls13": "tls.protocols", "web.https.ok": "web.https", "tls.certificate.expired":
    "tls.certificate", "mail.dmarc.policy_reject": "mail.dmarc",
}
GOOD_FACTS = {"https": True, "hsts": True, "dmarc_policy": "reject", "spf": "ok", "dnssec": True, "mta_sts": True,
              "starttls": True, "cert_not_after": "2030-01-01T00:00:00+00:00", "fails": 0, "warns": 0}


def client_for(user: User | None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def grades(overall: int, **groups: int) -> dict[str, Any]:
    """A grades dict per GRADE_KEYS group, as Grade.to_dict() writes it; unnamed groups get ``overall``."""
    out = {}
    for key in GRADE_KEYS:
        score = groups.get(key, overall)
        out[key] = Grade(score, letter_for(score), (("mail.dmarc.missing", -30),) if score < 100 else ()).to_dict()
    return out


def make_programme(name: str = "Programme P") -> Programme:
    org = SupportOrganisation.objects.create(name=f"{name} organisation", country="SE")
    return Programme.objects.create(organisation=org, name=name)


def make_coordinator(programme: Programme, email: str = "coordinator@example.test") -> User:
    user = make_user(email)
    ProgrammeRole.objects.create(user=user, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    return user


def make_company(programme: Programme, name: str, *, owner_email: str | None = None,
                 shared: bool = False) -> Company:
    company = Company.objects.create(programme=programme, name=name, country="SE",
                                     shared_with_programme_at=timezone.now() if shared else None)
    if owner_email:
        Membership.objects.create(user=make_user(owner_email), company=company, role=Membership.Role.OWNER)
    return company


def owner_of(company: Company) -> User:
    return company.memberships.get(role=Membership.Role.OWNER).user


def make_domain(company: Company, name: str, *, verified: bool = True) -> Domain:
    return Domain.objects.create(company=company, name=name, display_name=name,
                                 verified_at=timezone.now() if verified else None,
                                 verified_method=Domain.Method.DNS if verified else "")


def make_scan(domain: Domain, *, overall: int | None, when: datetime | None = None,
              findings: Iterable[tuple[str, str, str]] = (), facts: dict[str, Any] | None = None,
              status: str = ScanStatus.DONE, **groups: int) -> Scan:
    when = when or timezone.now()
    scan = Scan.objects.create(
        domain=domain, status=status, created_at=when, started_at=when,
        finished_at=when + timedelta(seconds=40) if status == ScanStatus.DONE else None,
        grades=grades(overall, **groups) if overall is not None else {},
        facts=GOOD_FACTS if facts is None else facts,
    )
    for key, finding_status, severity in findings:
        ScanFinding.objects.create(scan=scan, check_id=CHECK_OF.get(key, key.rsplit(".", 1)[0]), key=key,
                                   status=finding_status, severity=severity, subject=domain.name,
                                   evidence={"record": f"seen for {key}"}, points=-10, score_group="mail")
    return scan


def make_batch(programme: Programme, name: str, entries: Iterable[tuple[int, dict[str, Any]]],
               when: datetime | None = None) -> Batch:
    """A finished sweep; ``entries`` are (overall score, facts) per swept domain."""
    when = when or timezone.now()
    batch = Batch.objects.create(programme=programme, name=name, created_at=when, finished_at=when)
    for i, (score, facts) in enumerate(entries):
        BatchEntry.objects.create(batch=batch, name=f"swept{i}.test", status=ScanStatus.DONE, finished_at=when,
                                  grades=grades(score), facts=facts)
    return batch
