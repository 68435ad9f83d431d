"""The SME's data: JSON and PDF export (everything of its own, nothing of others), deletion, account deletion."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from smecyber.accounts.export_pdf import document_text, export_document
from smecyber.accounts.gdpr import export_company
from smecyber.accounts.models import AdvisorConsent, AuditEvent, Company, Invitation, Membership, User
from smecyber.assets.models import Domain
from smecyber.scans.models import Scan, ScanFinding, ScanStatus

from .helpers import PASSWORD, World, client_for, make_user


def scanned_domain(company: Company, name: str, evidence: str) -> Domain:
    domain = Domain.objects.create(company=company, name=name, display_name=name)
    scan = Scan.objects.create(domain=domain, status=ScanStatus.DONE,
                               grades={"overall": {"score": 62, "letter": "C"}})
    ScanFinding.objects.create(scan=scan, check_id="web.hsts", key="web.hsts.missing", status="fail",
                               severity="medium", subject=name, evidence={"header": evidence}, points=-15)
    ScanFinding.objects.create(scan=scan, check_id="mail.dmarc", key="mail.dmarc.missing", status="fail",
                               severity="high", subject=name, evidence={"record": None}, points=-20)
    return domain


@pytest.fixture
def scanned(world: World) -> World:
    scanned_domain(world.a, "alfa.test", "alfa-evidence-123")
    scanned_domain(world.b, "beta.test", "beta-evidence-456")
    AdvisorConsent.objects.create(company=world.a, advisor=world.advisor, granted_by=world.owner)
    AuditEvent.objects.create(company=world.b, action=AuditEvent.Action.DOMAIN_ADDED, target="beta.test")
    AuditEvent.objects.create(company=world.a, action=AuditEvent.Action.DOMAIN_ADDED, target="alfa.test")
    return world


@pytest.mark.django_db
def test_json_export_has_the_smes_findings_and_nothing_of_another_sme(scanned: World) -> None:
    response = client_for(scanned.owner).get(reverse("company_export_json", args=[scanned.a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["company"]["name"] == scanned.a.name
    assert {p["email"] for p in data["people"]} == {scanned.owner.email, scanned.member.email}
    assert data["advisor_consents"][0]["advisor"] == scanned.advisor.email
    [domain] = data["domains"]
    [scan] = domain["scans"]
    assert domain["name"] == "alfa.test" and scan["grades"]["overall"]["letter"] == "C"
    assert {f["key"] for f in scan["findings"]} == {"web.hsts.missing", "mail.dmarc.missing"}
    assert scan["findings"][0]["evidence"] or scan["findings"][1]["evidence"]
    assert "alfa-evidence-123" in raw
    for other in (scanned.b.name, "beta.test", "beta-evidence-456", scanned.other_sme.email):
        assert other not in raw
    assert any(e["action"] == "export" for e in data["audit_events"])  # the export is logged, and in it
    assert AuditEvent.objects.filter(company=scanned.a, action=AuditEvent.Action.EXPORT,
                                     actor=scanned.owner).count() == 1


@pytest.mark.django_db
def test_pdf_export_is_a_pdf_with_the_company_name(scanned: World) -> None:
    response = client_for(scanned.owner).get(reverse("company_export_pdf", args=[scanned.a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(company=scanned.a, action=AuditEvent.Action.EXPORT).exists()
    # no PDF text extractor here: read the text of the laid-out document the PDF is written from
    text = document_text(export_document(export_company(scanned.a)))
    assert scanned.a.name in text and "alfa.test" in text
    assert scanned.b.name not in text


@pytest.mark.django_db
def test_only_owners_export(scanned: World) -> None:
    for user in (scanned.member, scanned.advisor, scanned.coordinator, scanned.other_sme):
        client = client_for(user)
        assert client.get(reverse("company_export_json", args=[scanned.a.pk])).status_code == 404
        assert client.get(reverse("company_export_pdf", args=[scanned.a.pk])).status_code == 404


@pytest.mark.django_db
def test_delete_removes_everything_of_the_sme_and_nothing_else(scanned: World) -> None:
    a, b = scanned.a, scanned.b
    Invitation.objects.create(company=a, email="later@alfa.test")
    owner = client_for(scanned.owner)
    assert owner.get(reverse("company_delete", args=[a.pk])).status_code == 200

    wrong = owner.post(reverse("company_delete", args=[a.pk]), {"confirm_name": "Alfa"})
    assert wrong.status_code == 400 and Company.objects.filter(pk=a.pk).exists()
    assert client_for(scanned.member).post(reverse("company_delete", args=[a.pk]),
                                           {"confirm_name": a.name}).status_code == 404

    response = owner.post(reverse("company_delete", args=[a.pk]), {"confirm_name": a.name})
    assert response.status_code == 302
    assert not Company.objects.filter(pk=a.pk).exists()
    assert not Domain.objects.filter(company_id=a.pk).exists()
    assert not Scan.objects.filter(domain__name="alfa.test").exists()
    assert not ScanFinding.objects.filter(subject="alfa.test").exists()
    assert not Membership.objects.filter(company_id=a.pk).exists()
    assert not AdvisorConsent.objects.filter(company_id=a.pk).exists()
    assert not Invitation.objects.filter(company_id=a.pk).exists()
    assert not AuditEvent.objects.filter(company_id=a.pk).exists()
    assert User.objects.filter(pk=scanned.owner.pk).exists()  # people keep their logins
    # the other SME is untouched
    assert Domain.objects.filter(company=b).count() == 1
    assert ScanFinding.objects.filter(scan__domain__company=b).count() == 2
    assert Membership.objects.filter(company=b).exists()
    assert AuditEvent.objects.filter(company=b).exists()
    # the deletion is on record at platform level
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert event.company is None and event.target == "Alfa Software SIA" and event.actor == scanned.owner


@pytest.mark.django_db
def test_account_delete_refused_while_only_owner_of_an_sme_with_other_people(world: World) -> None:
    owner = client_for(world.owner)
    page = owner.get(reverse("account_delete"))
    assert "only owner" in page.content.decode()
    refused = owner.post(reverse("account_delete"), {"password": PASSWORD})
    assert refused.status_code == 409 and User.objects.filter(pk=world.owner.pk).exists()

    Membership.objects.filter(user=world.member, company=world.a).update(role=Membership.Role.OWNER)  # handed over
    assert owner.post(reverse("account_delete"), {"password": "not my password"}).status_code == 200
    assert User.objects.filter(pk=world.owner.pk).exists()
    done = owner.post(reverse("account_delete"), {"password": PASSWORD})
    assert done.status_code == 302
    assert not User.objects.filter(email="owner@alfa.test").exists()
    assert Company.objects.filter(pk=world.a.pk).exists()  # the SME stays with its new owner
    left = AuditEvent.objects.get(company=world.a, action=AuditEvent.Action.MEMBER_REMOVED)
    assert left.actor_email == "owner@alfa.test"
    assert AuditEvent.objects.filter(company=None, action=AuditEvent.Action.USER_DELETED,
                                     target="owner@alfa.test").exists()
    assert not owner.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_account_delete_takes_companies_nobody_else_belongs_to(world: World) -> None:
    solo = make_user("solo@gamma.test")
    company = Company.objects.create(programme=world.programme, name="Solo Oy", country="FI")
    Membership.objects.create(user=solo, company=company, role=Membership.Role.OWNER)
    scanned_domain(company, "solo.test", "solo-evidence")
    client = client_for(solo)
    assert "Solo Oy" in client.get(reverse("account_delete")).content.decode()  # said before it happens
    assert client.post(reverse("account_delete"), {"password": PASSWORD}).status_code == 302
    assert not Company.objects.filter(name="Solo Oy").exists()
    assert not Domain.objects.filter(name="solo.test").exists()
    assert Company.objects.filter(pk=world.a.pk).exists()


@pytest.mark.django_db
def test_an_advisor_deleting_their_account_leaves_the_end_of_the_consent_in_the_smes_log(world: World) -> None:
    AdvisorConsent.objects.create(company=world.a, advisor=world.advisor, granted_by=world.owner)
    assert client_for(world.advisor).post(reverse("account_delete"), {"password": PASSWORD}).status_code == 302
    event = AuditEvent.objects.get(company=world.a, action=AuditEvent.Action.CONSENT_REVOKED)
    assert event.target == "advisor@cluster.test"


@pytest.mark.django_db
def test_pdf_export_shows_labels_in_the_readers_language_not_codes(scanned: World) -> None:
    from django.utils import translation

    with translation.override("sv"):
        text = document_text(export_document(export_company(scanned.a)))
    assert "Underkänt" in text  # the findings' status "fail"
    assert "(klar)" in text  # the scan's status "done"
    assert "fail" not in text and "(done)" not in text


@pytest.mark.django_db
def test_export_holds_the_self_assessment_and_the_action_plan_of_this_sme_only(scanned: World) -> None:
    from smecyber.assessments.models import Comment
    from tests.reports.assessments import submit_assessment

    assessment = submit_assessment(scanned.a, scanned.owner, low=["backups.separate_copy"], country="SE",
                                   sector="G", size_band="small")
    Comment.objects.create(assessment=assessment, question="backups.separate_copy", author=scanned.advisor,
                           author_email=scanned.advisor.email, text="alfa-comment-789")
    submit_assessment(scanned.b, scanned.other_sme, country="LV", sector="C", size_band="micro")
    data = export_company(scanned.a)
    [exported] = data["assessments"]
    assert exported["status"] == "submitted" and exported["overall"] == assessment.overall
    answers = {a["question"]: a for a in exported["answers"]}
    assert answers["backups.separate_copy"]["value"] == "0" and answers["backups.separate_copy"]["text"]
    assert exported["comments"][0]["text"] == "alfa-comment-789"
    assert data["action_plan"] and all(i["title"] and i["status"] for i in data["action_plan"])
    assert len(data["action_plan"]) == scanned.a.action_items.count()
    raw = json.dumps(data)
    assert scanned.other_sme.email not in raw
    text = document_text(export_document(data))
    assert "alfa-comment-789" in text and data["action_plan"][0]["title"][:30] in " ".join(text.split())


@pytest.mark.django_db
def test_export_holds_the_incident_log_of_this_sme_only(scanned: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from smecyber.incidents.models import Incident

    when = timezone.now() - timedelta(days=3)
    Incident.objects.create(company=scanned.a, kind="phishing", title="alfa-incident-321", occurred_at=when,
                            impact="minor", cost_band="none", notes="clicked a fake invoice")
    Incident.objects.create(company=scanned.b, kind="malware", title="beta-incident-654", occurred_at=when,
                            impact="minor", cost_band="none")
    data = export_company(scanned.a)
    [incident] = data["incidents"]
    assert incident["title"] == "alfa-incident-321" and incident["notes"] == "clicked a fake invoice"
    assert "beta-incident-654" not in json.dumps(data)
    assert "alfa-incident-321" in document_text(export_document(data))
