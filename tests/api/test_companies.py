"""Companies and domains through the API: the UI's permissions, 404 for what a caller may not see."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.assets.models import Domain
from tests.api.conftest import API
from tests.web.world import World

Persona = Callable[[str], Client]


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(("persona", "expected"), [
    ("owner", ["Alpha AB"]), ("member", ["Alpha AB"]), ("advisor_with_consent", ["Alpha AB"]),
    ("advisor_without_consent", []), ("coordinator", []), ("other_sme", ["Beta SIA"]),
])
def test_company_list_is_what_each_persona_may_see(world: World, as_persona: Persona, persona: str,
                                                    expected: list[str]) -> None:
    assert names(as_persona(persona).get(f"{API}/companies")) == expected


def test_coordinator_sees_an_sme_once_it_shares(world: World, as_persona: Persona) -> None:
    world.company_a.shared_with_programme_at = timezone.now()
    world.company_a.save()
    body = as_persona("coordinator").get(f"{API}/companies").json()
    assert [(c["name"], c["access"], c["shared_with_programme"]) for c in body["items"]] == [
        ("Alpha AB", "coordinator", True)]


def test_company_list_is_paginated(world: World, as_persona: Persona) -> None:
    from smecyber.accounts.models import Company, Membership

    extra = Company.objects.create(programme=world.programme, name="Zeta Oy", country="FI")
    Membership.objects.create(user=world.users["owner"], company=extra, role=Membership.Role.OWNER)
    client = as_persona("owner")
    first = client.get(f"{API}/companies?limit=1").json()
    second = client.get(f"{API}/companies?limit=1&offset=1").json()
    assert (first["count"], second["count"]) == (2, 2)
    assert [c["name"] for c in first["items"] + second["items"]] == ["Alpha AB", "Zeta Oy"]
    assert client.get(f"{API}/companies?limit=1000").status_code == 422  # at most 200 a page


def test_company_detail(world: World, as_persona: Persona) -> None:
    body = as_persona("advisor_with_consent").get(f"{API}/companies/{world.company_a.id}").json()
    assert body["name"] == "Alpha AB"
    assert body["access"] == "advisor"
    assert body["programme_name"] == "Programme P"


@pytest.mark.parametrize("persona", ["other_sme", "advisor_without_consent", "coordinator"])
def test_company_detail_of_an_invisible_sme_is_404(world: World, as_persona: Persona, persona: str) -> None:
    response = as_persona(persona).get(f"{API}/companies/{world.company_a.id}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert as_persona(persona).get(f"{API}/companies/{uuid.uuid4()}").status_code == 404  # same as missing


def test_domain_list_and_detail(world: World, as_persona: Persona) -> None:
    assert names(as_persona("member").get(f"{API}/companies/{world.company_a.id}/domains")) == ["good.test"]
    own = as_persona("member").get(f"{API}/domains/{world.domain.id}").json()
    assert own["verification"]["txt_record"] == f"smecyber-verification={world.domain.verification_token}"
    advisor = as_persona("advisor_with_consent").get(f"{API}/domains/{world.domain.id}").json()
    assert advisor["name"] == "good.test"
    assert advisor["verification"] is None  # only the SME's own people get the ownership proof


@pytest.mark.parametrize("persona", ["other_sme", "advisor_without_consent", "coordinator"])
def test_domains_of_an_invisible_sme_are_404(world: World, as_persona: Persona, persona: str) -> None:
    client = as_persona(persona)
    assert client.get(f"{API}/companies/{world.company_a.id}/domains").status_code == 404
    assert client.get(f"{API}/domains/{world.domain.id}").status_code == 404


def add(client: Client, world: World, name: Any) -> Any:
    return client.post(f"{API}/companies/{world.company_a.id}/domains", {"name": name},
                       content_type="application/json")


def test_member_adds_a_domain_normalised(world: World, as_persona: Persona) -> None:
    response = add(as_persona("member"), world, "Bücher.Example")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "xn--bcher-kva.example"
    assert body["verified"] is False
    assert Domain.objects.filter(company=world.company_a, name="xn--bcher-kva.example").exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_ADDED, company=world.company_a).exists()


@pytest.mark.parametrize("bad", ["192.0.2.1", "not a domain", "good.test", "-bad-.example"])
def test_bad_domain_names_answer_400_with_the_reason(world: World, as_persona: Persona, bad: str) -> None:
    response = add(as_persona("owner"), world, bad)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]  # a message a person can act on
    assert Domain.objects.filter(company=world.company_a).count() == 1


def test_malformed_domain_payload_answers_422(world: World, as_persona: Persona) -> None:
    client = as_persona("owner")
    assert client.post(f"{API}/companies/{world.company_a.id}/domains", {},
                       content_type="application/json").status_code == 422
    assert add(client, world, "a" * 300).status_code == 422


@pytest.mark.parametrize("persona", ["advisor_with_consent", "coordinator", "other_sme"])
def test_only_the_smes_people_add_domains(world: World, as_persona: Persona, persona: str) -> None:
    world.company_a.shared_with_programme_at = timezone.now()  # even a coordinator who may see A
    world.company_a.save()
    assert add(as_persona(persona), world, "new.example").status_code == 404
    assert not Domain.objects.filter(name="new.example").exists()


def test_verify_by_file_on_the_web_server(world: World, as_persona: Persona, lab_scanner: Any) -> None:
    client = as_persona("owner")
    failed = client.post(f"{API}/domains/{world.domain.id}/verify").json()
    assert failed["ok"] is False
    assert failed["detail"]
    assert failed["domain"]["verified"] is False
    proof = lab_scanner.docroot("good.test") / ".well-known" / "smecyber-verification.txt"
    proof.write_text(world.domain.verification_token)
    try:
        body = client.post(f"{API}/domains/{world.domain.id}/verify").json()
    finally:
        proof.unlink()
    assert body["ok"] is True, body
    assert body["method"] == "file"
    assert body["domain"]["verified"] is True
    assert body["domain"]["verified_method"] == "file"


def test_advisor_may_not_verify(world: World, as_persona: Persona) -> None:
    assert as_persona("advisor_with_consent").post(f"{API}/domains/{world.domain.id}/verify").status_code == 404
