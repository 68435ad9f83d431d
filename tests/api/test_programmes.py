"""Programmes and sweeps through the API: coordinators only, aggregates only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from smecyber.scans.models import Batch, BatchEntry, ScanStatus
from tests.api.conftest import API
from tests.web.world import SWEEP_SIZE, World

Persona = Callable[[str], Client]


def test_coordinator_lists_the_programmes_they_coordinate(world: World, as_persona: Persona) -> None:
    body = as_persona("coordinator").get(f"{API}/programmes").json()
    assert [(p["name"], p["organisation"], p["companies"]) for p in body["items"]] == [
        ("Programme P", "Baltic IT Cluster", 2)]


@pytest.mark.parametrize("persona", ["owner", "advisor_with_consent", "other_sme"])
def test_others_coordinate_nothing(world: World, as_persona: Persona, persona: str) -> None:
    client = as_persona(persona)
    assert client.get(f"{API}/programmes").json()["items"] == []
    assert client.get(f"{API}/programmes/{world.programme.id}/batches").status_code == 404
    assert client.get(f"{API}/batches/{world.batch.id}").status_code == 404


def assert_nothing_small_is_shown(aggregates: dict[str, Any]) -> None:
    """The small-group rule: a hidden count has no number, and no share gives it away."""
    for row in aggregates["letters"] + aggregates["dmarc"]:
        assert (row["count"] is None) == row["suppressed"]
        assert row["suppressed"] or row["count"] >= aggregates["minimum"]
    for share in (aggregates["https"], aggregates["hsts"]):
        if share["yes_suppressed"]:
            assert share["yes"] is None and share["percent"] is None


def test_batch_list_and_detail_are_aggregates_only(world: World, as_persona: Persona) -> None:
    client = as_persona("coordinator")
    listed = client.get(f"{API}/programmes/{world.programme.id}/batches").json()
    assert [b["name"] for b in listed["items"]] == ["Spring sweep"]
    response = client.get(f"{API}/batches/{world.batch.id}")
    body = response.json()
    assert body["progress"] == {"total": SWEEP_SIZE, "done": SWEEP_SIZE, "failed": 0, "waiting": 0, "percent": 100}
    aggregates = body["aggregates"]
    assert aggregates["graded"] == SWEEP_SIZE
    assert aggregates["letters"] == [{"label": "B+", "count": SWEEP_SIZE, "suppressed": False}]
    half = SWEEP_SIZE // 2
    assert aggregates["https"] == {"yes": half, "yes_suppressed": False, "total": SWEEP_SIZE, "percent": 50}
    assert_nothing_small_is_shown(aggregates)
    assert b"sme0.test" not in response.content  # never a domain of the sweep


def test_small_batches_suppress_counts_and_shares(world: World, as_persona: Persona, settings) -> None:
    batch = Batch.objects.create(programme=world.programme, name="Tiny")
    small = settings.AGGREGATE_MIN_GROUP - 1
    for i in range(small):
        BatchEntry.objects.create(batch=batch, name=f"tiny{i}.test", status=ScanStatus.DONE,
                                  facts={"https": True, "dmarc_policy": "reject"})
    BatchEntry.objects.create(batch=batch, name="waiting.test")
    body = as_persona("coordinator").get(f"{API}/batches/{batch.id}").json()
    assert body["progress"]["waiting"] == 1
    assert body["aggregates"]["dmarc"] == [{"label": "reject", "count": None, "suppressed": True}]
    assert body["aggregates"]["https"] == {"yes": None, "yes_suppressed": True, "total": small, "percent": None}
    assert_nothing_small_is_shown(body["aggregates"])


def submit(client: Client, world: World, payload: dict[str, object]) -> object:
    return client.post(f"{API}/programmes/{world.programme.id}/batches", payload, content_type="application/json")


def test_coordinator_submits_a_sweep(world: World, as_persona: Persona) -> None:
    response = submit(as_persona("coordinator"), world, {"name": "Autumn", "domains": ["a.test", "B.test", "a.test"]})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["name"] == "Autumn"
    assert body["progress"]["total"] == 2  # duplicates folded
    batch = Batch.objects.get(pk=body["id"])
    assert sorted(batch.entries.values_list("name", flat=True)) == ["a.test", "b.test"]


@pytest.mark.parametrize(("payload", "status"), [
    ({"name": "x", "domains": []}, 422),
    ({"name": "", "domains": ["a.test"]}, 422),
    ({"domains": ["a.test"]}, 422),
    ({"name": "x", "domains": [f"d{i}.test" for i in range(10_001)]}, 422),
])
def test_sweep_validation(world: World, as_persona: Persona, payload: dict[str, object], status: int) -> None:
    assert submit(as_persona("coordinator"), world, payload).status_code == status
    assert Batch.objects.count() == 1


def test_sweep_of_only_bad_names_answers_400(world: World, as_persona: Persona) -> None:
    response = submit(as_persona("coordinator"), world, {"name": "x", "domains": ["not a domain", "192.0.2.1"]})
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("persona", ["owner", "advisor_with_consent"])
def test_only_coordinators_submit_sweeps(world: World, as_persona: Persona, persona: str) -> None:
    assert submit(as_persona(persona), world, {"name": "x", "domains": ["a.test"]}).status_code == 404
    assert Batch.objects.count() == 1
