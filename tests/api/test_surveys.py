"""Survey campaigns and their statistics through the API: coordinators only, nothing while open, hidden groups as
nulls with a reason, and — attacked with random populations and every filter combination — nothing the API
returns gives a group of fewer than the minimum away."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smecyber.stats import ALL, ProtectedCube, disclosure_problems
from smecyber.surveys import services
from smecyber.surveys.models import Campaign
from smecyber.surveys.statistics import campaign_statistics, indicators_of, universe_of
from tests.api.conftest import API
from tests.surveys.population import close, hand_count, random_answers, small_campaign, store
from tests.web.world import World

Persona = Callable[[str], Client]
MINIMUM = 5


def statistics_url(campaign: Campaign, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{API}/campaigns/{campaign.pk}/statistics" + (f"?{query}" if query else "")


def test_coordinator_lists_the_programmes_campaigns(world: World, as_persona: Persona) -> None:
    assert world.campaign is not None
    store(world.campaign, [random_answers(world.campaign, random.Random(1)) for _ in range(3)])
    body = as_persona("coordinator").get(f"{API}/programmes/{world.programme.id}/campaigns").json()
    assert body["count"] == 1
    assert [(c["title"], c["status"], c["responses"]) for c in body["items"]] == [("Needs survey 2026", "open", 3)]


@pytest.mark.parametrize("persona", ["owner", "member", "advisor_with_consent", "other_sme"])
def test_nobody_else_sees_campaigns_or_figures(world: World, as_persona: Persona, persona: str) -> None:
    assert world.campaign is not None
    client = as_persona(persona)
    assert client.get(f"{API}/programmes/{world.programme.id}/campaigns").status_code == 404
    close(world.campaign)
    assert client.get(statistics_url(world.campaign)).status_code == 404


def test_an_open_campaign_answers_409_whatever_the_filter(world: World, as_persona: Persona) -> None:
    assert world.campaign is not None
    store(world.campaign, [random_answers(world.campaign, random.Random(2), country="SE") for _ in range(20)])
    client = as_persona("coordinator")
    for params in ({}, {"country": "SE"}, {"country": "SE", "sector": "J"}):
        response = client.get(statistics_url(world.campaign, **params))
        assert response.status_code == 409
        assert set(response.json()) == {"detail"}


def test_closed_campaign_figures_and_hidden_groups(world: World, as_persona: Persona) -> None:
    campaign = world.campaign
    assert campaign is not None
    rng = random.Random(4)
    population = store(campaign, [random_answers(campaign, rng, country="SE", sector="J") for _ in range(12)]
                       + [random_answers(campaign, rng, country="LV", sector="J") for _ in range(2)]
                       + [random_answers(campaign, rng, country="SE", sector="C") for _ in range(10)])
    close(campaign)
    protected = campaign_statistics(campaign)
    assert protected is not None
    # a group with one dimension chosen that the protection shows (the statistics engine decides which)
    key = min(k for k in protected.shown_keys() if sum(v != ALL for v in k) == 1)
    params = {d: ("all" if v == ALL else v) for d, v in zip(("country", "sector", "size_band"), key, strict=True)}
    client = as_persona("coordinator")
    body = client.get(statistics_url(campaign, **params)).json()
    assert body["filter"] == params
    assert body["hidden"] is False and body["n"] == hand_count(population, "documents.yes", *key)[0] >= MINIMUM
    assert body["minimum"] == MINIMUM
    template = services.template_of(campaign)
    figures = [f for q in body["questions"] for f in q["figures"]]
    assert {f["indicator"] for f in figures} == set(indicators_of(campaign))
    for f in figures:
        exclusive = template.question(f["indicator"].split(".")[0]).exclusive
        assert (f["n"], f["count"]) == hand_count(population, f["indicator"], *key, exclusive=exclusive)
        assert f["ci_low"] <= f["percent"] <= f["ci_high"] and f["reason"] is None
    hidden = client.get(statistics_url(campaign, country="LV")).json()
    assert hidden["hidden"] is True and hidden["n"] is None and "fewer than 5" in hidden["reason"]
    for f in (f for q in hidden["questions"] for f in q["figures"]):
        assert f["hidden"] and f["reason"]
        assert f["n"] is f["count"] is f["percent"] is f["ci_low"] is f["ci_high"] is None


def test_unknown_values_answer_400(world: World, as_persona: Persona) -> None:
    assert world.campaign is not None
    close(world.campaign)
    client = as_persona("coordinator")
    for params in ({"country": "XX"}, {"sector": "J'"}, {"size_band": "*"}, {"lang": "de"}):
        response = client.get(statistics_url(world.campaign, **params))
        assert response.status_code in (400, 422), params
    assert client.get(statistics_url(world.campaign, country="XX")).json()["detail"]


# --- the attacker ---------------------------------------------------------------------------------------------

COUNTRIES, SECTORS, SIZES = ("SE", "LV", "LT"), ("C", "J"), ("micro", "small")
FINEST = [(c, s, z) for c in COUNTRIES for s in SECTORS for z in SIZES]


def every_filter() -> list[tuple[str, str, str]]:
    return [(c, s, z) for c in (ALL, *COUNTRIES) for s in (ALL, *SECTORS) for z in (ALL, *SIZES)]


def spelled(value: str, rng: random.Random) -> str | None:
    """How a client may ask for "every value": no parameter, empty, or "all"."""
    return rng.choice([None, "", "all"]) if value == ALL else value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(min_value=0, max_value=9), min_size=len(FINEST), max_size=len(FINEST)),
       seed=st.integers(min_value=0, max_value=2**16), order=st.randoms(use_true_random=False))
def test_no_filter_combination_gives_a_small_group_away(world: World, as_persona: Persona, sizes: list[int],
                                                        seed: int, order: random.Random) -> None:
    """A random population stored as Response rows, a closed campaign, and the API asked for every filter
    combination in a random order and spelling: every figure it returns comes from a group of at least the
    minimum, is the true count, and everything returned together passes the attacker's exact check."""
    rng = random.Random(seed)
    campaign = small_campaign(world.programme, world.users["coordinator"], countries=COUNTRIES, sectors=SECTORS,
                              sizes=SIZES)
    try:
        population = store(campaign, [random_answers(campaign, rng, country=c, sector=s, size_band=z)
                                      for (c, s, z), k in zip(FINEST, sizes, strict=True) for _ in range(k)])
        close(campaign)
        client = as_persona("coordinator")
        template = services.template_of(campaign)
        indicators = indicators_of(campaign)
        shown: dict[tuple[str, str, str], tuple[int, tuple[int, ...]]] = {}
        hidden: set[tuple[str, str, str]] = set()
        filters = every_filter()
        order.shuffle(filters)
        for key in filters:
            params = {d: v for d, v in zip(("country", "sector", "size_band"), (spelled(x, rng) for x in key),
                                           strict=True) if v is not None}
            response = client.get(statistics_url(campaign, **params))
            assert response.status_code == 200
            body: dict[str, Any] = response.json()
            figures = {f["indicator"]: f for q in body["questions"] for f in q["figures"]}
            assert set(figures) == set(indicators)
            if body["hidden"]:
                assert body["n"] is None
                assert all(f["n"] is f["count"] is f["percent"] is None for f in figures.values())
                hidden.add(key)
                continue
            assert body["n"] >= MINIMUM
            counts = []
            for name in indicators:
                f = figures[name]
                exclusive = template.question(name.split(".")[0]).exclusive
                assert f["n"] == body["n"] >= MINIMUM
                assert (f["n"], f["count"]) == hand_count(population, name, *key, exclusive=exclusive)
                counts.append(f["count"])
            shown[key] = (body["n"], tuple(counts))
        published = ProtectedCube(universe_of(campaign), tuple(indicators), MINIMUM, shown, frozenset(hidden))
        assert disclosure_problems(published, MINIMUM) == []
    finally:
        campaign.delete()
