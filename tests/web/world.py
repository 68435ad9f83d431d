"""The world the access-control matrix and the API tests run in (the personas of smecyber.web.access).

Programme P with SMEs A and B. A has an owner and a member; ``other_sme`` is a member of B; one advisor has
an active consent for A, the other only a revoked one; ``coordinator`` coordinates P; A does not share its
results with P. A has a verified-or-not domain with a finished scan and findings; P has a finished sweep.
Every persona has an API token. Built fresh for each test (the ``db`` fixture rolls it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from smecyber.accounts.models import (
    AdvisorConsent,
    ApiToken,
    Company,
    Invitation,
    Membership,
    Programme,
    ProgrammeRole,
    SupportOrganisation,
    User,
)
from smecyber.assessments.models import ActionItem, Answer, Assessment
from smecyber.assets.models import Domain
from smecyber.incidents.models import Incident
from smecyber.scans.models import Batch, BatchEntry, Scan, ScanFinding, ScanStatus
from smecyber.surveys.models import Campaign
from smecyber.web.access import PERSONAS

DOMAIN_A = "good.test"  # a lab domain, so verification (which does real DNS) stays on loopback
SWEEP_SIZE = 10  # twice the default minimum group size (5): half of it is a group that may be shown

FINDINGS_A = (
    # (check, key, status, severity, subject, points, group)
    ("mail.dmarc", "mail.dmarc.missing", "fail", "high", "good.test", -30, "mail"),
    ("web.hsts", "web.hsts.max_age_short", "warn", "medium", "good.test", -10, "web_headers"),
    ("tls.certificate", "tls.certificate.ok", "pass", "info", "good.test:443", 0, "tls"),
)
FACTS_A = {"https": True, "hsts": False, "dmarc_policy": "missing", "spf": "ok", "dnssec": False,
           "mta_sts": None, "starttls": True, "cert_not_after": "2030-01-01T00:00:00+00:00", "fails": 1, "warns": 1}
GRADES_A = {"mail": {"score": 70, "letter": "B"}, "overall": {"score": 80, "letter": "B+"}}


@dataclass
class World:
    programme: Programme
    company_a: Company
    company_b: Company
    users: dict[str, User]  # persona -> user (every persona but anonymous)
    tokens: dict[str, str] = field(default_factory=dict)  # persona -> API token (clear text)
    domain: Domain | None = None
    scan: Scan | None = None
    batch: Batch | None = None
    consent: AdvisorConsent | None = None
    membership: Membership | None = None  # the member's membership of A
    invitation: Invitation | None = None
    token: ApiToken | None = None  # the owner's token
    assessment: Assessment | None = None  # A's draft self-assessment
    action_item: ActionItem | None = None  # an item of A's action plan
    campaign: Campaign | None = None  # P's open survey campaign
    incident: Incident | None = None  # an incident in A's log

    def user(self, persona: str) -> User | None:
        return self.users.get(persona)

    def url_kwargs(self) -> dict[str, Any]:
        """URL parameter values by name (the fixed list of smecyber.web.access)."""
        assert self.domain and self.scan and self.batch and self.consent and self.membership
        assert self.invitation and self.token and self.assessment and self.action_item
        assert self.campaign and self.incident
        return {
            "company_id": self.company_a.id,
            "domain_id": self.domain.id,
            "scan_id": self.scan.id,
            "programme_id": self.programme.id,
            "batch_id": self.batch.id,
            "token_id": self.token.id,
            "consent_id": self.consent.id,
            "membership_id": self.membership.id,
            "invitation_token": self.invitation.token,
            "assessment_id": self.assessment.id,
            "area": "governance",
            "item_id": self.action_item.id,
            "campaign_id": self.campaign.id,
            "link_token": self.campaign.link_token,
            "fmt": "csv",
            "incident_id": self.incident.id,
        }


def make_campaign(programme: Programme, coordinator: User) -> Campaign:
    """P's campaign from the default template, open, so the anonymous link and member answering work."""
    from smecyber.surveys.services import create_campaign, open_campaign

    campaign = create_campaign(programme, coordinator, title="Needs survey 2026")
    open_campaign(campaign, coordinator)
    return campaign


def make_user(email: str, **extra: Any) -> User:
    user = User.objects.create_user(email=email, password=None, **extra)  # no hashing: fast, force_login only
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build_world() -> World:
    org = SupportOrganisation.objects.create(name="Baltic IT Cluster", country="SE")
    programme = Programme.objects.create(organisation=org, name="Programme P")
    company_a = Company.objects.create(programme=programme, name="Alpha AB", country="SE")
    company_b = Company.objects.create(programme=programme, name="Beta SIA", country="LV")
    users = {p: make_user(f"{p.replace('_', '-')}@example.test") for p in PERSONAS if p != "anonymous"}
    Membership.objects.create(user=users["owner"], company=company_a, role=Membership.Role.OWNER)
    membership = Membership.objects.create(user=users["member"], company=company_a, role=Membership.Role.MEMBER)
    Membership.objects.create(user=users["other_sme"], company=company_b, role=Membership.Role.MEMBER)
    ProgrammeRole.objects.create(user=users["coordinator"], programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    for advisor in ("advisor_with_consent", "advisor_without_consent"):
        ProgrammeRole.objects.create(user=users[advisor], programme=programme, role=ProgrammeRole.Role.ADVISOR)
    now = timezone.now()
    consent = AdvisorConsent.objects.create(company=company_a, advisor=users["advisor_with_consent"],
                                            granted_by=users["owner"])
    AdvisorConsent.objects.create(company=company_a, advisor=users["advisor_without_consent"],
                                  granted_by=users["owner"], granted_at=now - timedelta(days=3),
                                  revoked_by=users["owner"], revoked_at=now - timedelta(days=1))
    domain = Domain.objects.create(company=company_a, name=DOMAIN_A, display_name=DOMAIN_A, added_by=users["owner"])
    scan = Scan.objects.create(domain=domain, status=ScanStatus.DONE, requested_by=users["owner"],
                               started_at=now - timedelta(minutes=2), finished_at=now - timedelta(minutes=1),
                               checks_done=30, checks_total=30, grades=GRADES_A, facts=FACTS_A, duration_s=42.0)
    for check, key, status, severity, subject, points, group in FINDINGS_A:
        ScanFinding.objects.create(scan=scan, check_id=check, key=key, status=status, severity=severity,
                                   subject=subject, points=points, score_group=group, evidence={"seen": key})
    batch = Batch.objects.create(programme=programme, name="Spring sweep", submitted_by=users["coordinator"],
                                 finished_at=now)
    for i in range(SWEEP_SIZE):
        BatchEntry.objects.create(batch=batch, name=f"sme{i}.test", status=ScanStatus.DONE, finished_at=now,
                                  facts={**FACTS_A, "https": i % 2 == 0}, grades=GRADES_A)
    invitation = Invitation.objects.create(company=company_a, email="invitee@example.test",
                                           invited_by=users["owner"])
    # A submitted assessment of last month (the API's "latest assessment"), and the draft of a new one.
    Assessment.objects.create(company=company_a, questionnaire_version="2026.1", started_by=users["owner"],
                              status=Assessment.Status.SUBMITTED, started_at=now - timedelta(days=31),
                              submitted_at=now - timedelta(days=30), submitted_by=users["owner"],
                              profile={"country": "SE", "size_band": "small", "sector": "G"},
                              overall=1.5, area_scores={"governance": 2.0, "backups": 1.0})
    assessment = Assessment.objects.create(company=company_a, questionnaire_version="test", started_by=users["owner"],
                                           profile={"country": "SE", "size_band": "small", "sector": "G"})
    Answer.objects.create(assessment=assessment, question="governance.responsible", value="0.5",
                          answered_by=users["owner"])
    action_item = ActionItem.objects.create(company=company_a, key="finding:mail.dmarc.missing", severity="high",
                                            effort="low", rank=1, priority=8.0, checked_by_scans=True,
                                            sources={"findings": [["mail.dmarc.missing", "fail", DOMAIN_A]]})
    campaign = make_campaign(programme, users["coordinator"])
    incident = Incident.objects.create(company=company_a, kind="phishing", title="Fake invoice email",
                                       occurred_at=now - timedelta(days=2), impact="minor", cost_band="none",
                                       created_by=users["owner"])
    world = World(programme, company_a, company_b, users, domain=domain, scan=scan, batch=batch, consent=consent,
                  membership=membership, invitation=invitation, assessment=assessment, action_item=action_item,
                  campaign=campaign, incident=incident)
    for persona, user in users.items():
        token_row, token = ApiToken.issue(user, f"{persona} script")
        world.tokens[persona] = token
        if persona == "owner":
            world.token = token_row
    return world
