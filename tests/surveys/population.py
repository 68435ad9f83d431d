"""Synthetic survey populations for the statistics tests: random valid answers, stored as Response rows in bulk
(bits through ``bits.encode``, as ``submit_response`` stores them), and the hand count to check figures against."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from smecyber.accounts.models import Programme, User
from smecyber.stats import ALL
from smecyber.surveys import bits as bitmap
from smecyber.surveys import services
from smecyber.surveys.models import Campaign, Response

Answers = dict[str, list[str]]


def random_answers(campaign: Campaign, rng: random.Random, **fixed: str) -> Answers:
    """A valid answer to every included question; ``fixed`` sets single questions (country="LV")."""
    answers: Answers = {}
    for q in services.questions_of(campaign):
        if q.id in fixed:
            answers[q.id] = [fixed[q.id]]
        elif q.kind == "single":
            answers[q.id] = [rng.choice(q.options)]
        elif q.exclusive and rng.random() < 0.2:
            answers[q.id] = [q.exclusive]
        else:
            others = [o for o in q.options if o != q.exclusive]
            chosen = set(rng.sample(others, rng.randint(1, min(3, len(others)))))
            answers[q.id] = [o for o in q.options if o in chosen]
    return answers


def store(campaign: Campaign, population: Iterable[Answers]) -> list[Answers]:
    """Each answer as one Response row (one bulk insert); returns the answers."""
    population = list(population)
    Response.objects.bulk_create([
        Response(campaign=campaign, language="en", country=a["country"][0], sector=a["sector"][0],
                 size_band=a["size_band"][0], **bitmap.encode(campaign.bits, a))
        for a in population
    ])
    return population


def close(campaign: Campaign, coordinator: User | None = None) -> Campaign:
    if campaign.status == Campaign.Status.DRAFT:
        services.open_campaign(campaign, coordinator)
    return services.close_campaign(campaign, coordinator)


def in_cell(answers: Answers, country: str = ALL, sector: str = ALL, size_band: str = ALL) -> bool:
    return all(value == ALL or answers[d] == [value]
               for d, value in (("country", country), ("sector", sector), ("size_band", size_band)))


def hand_count(population: Sequence[Answers], indicator: str, country: str = ALL, sector: str = ALL,
               size_band: str = ALL, exclusive: str | None = None) -> tuple[int, int]:
    """(responses in the cell, how many of them chose the indicator's option / "any" but ``exclusive``)."""
    qid, _dot, oid = indicator.rpartition(".")
    members = [a for a in population if in_cell(a, country, sector, size_band)]
    if oid == "any":
        return len(members), sum(any(o != exclusive for o in a[qid]) for a in members)
    return len(members), sum(oid in a[qid] for a in members)


def small_campaign(programme: Programme, user: User | None, *, countries: Sequence[str] = ("SE", "LV", "LT"),
                   sectors: Sequence[str] = ("C", "J"), sizes: Sequence[str] = ("micro", "small"),
                   questions: Sequence[str] = ("measures", "documents")) -> Campaign:
    """A campaign whose frozen definition is the packaged one cut down: few values per dimension (a small cube,
    so the attacker's exact elimination stays fast) and only ``questions`` besides the profile."""
    campaign = services.create_campaign(programme, user, title="Small survey")
    definition: dict[str, Any] = dict(campaign.definition)
    keep = {"country": countries, "sector": sectors, "size_band": sizes}
    trimmed = []
    for q in definition["questions"]:
        if q["id"] in keep:
            q = {**q, "options": [o for o in q["options"] if o["id"] in keep[q["id"]]]}
        elif q["id"] not in questions:
            continue
        trimmed.append(q)
    definition["questions"] = trimmed
    campaign.definition = definition
    campaign.included = [q["id"] for q in trimmed]
    campaign.bits = bitmap.assign_bits(definition)
    campaign.save(update_fields=["definition", "included", "bits"])
    return Campaign.objects.get(pk=campaign.pk)
