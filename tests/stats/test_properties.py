"""Property-based: random universes, populations and answers; every published figure, every pair of queries.

A universe has 1-4 values per dimension and 0-80 respondents, drawn two ways: a head count per profile (mostly
small: 0-12, so that large, small and empty cells meet on the same lines), or respondents piled into a few "hot"
profiles with the rest spread; each ticks random options. For each protected cube:

(a) every shown cell describes at least ``minimum`` responses;
(b) the audit finds nothing: no hidden cell (n or any indicator count) follows from the shown ones, no line
    leaves a small remainder, and no group of 1..minimum-1 respondents (any union of profiles) can be worked out
    from any combination of shown figures;
(c) any two queries, one inside the other (every pair of filter combinations, through the public figure()
    call), differ by 0 or at least ``minimum`` responses: a difference never describes a small group;
(d) protect() is deterministic (same input, any row order → same output) and idempotent (its pattern is a fixed
    point: protecting again from it hides nothing more).
"""

from __future__ import annotations

import random
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smecyber.stats import ALL, build_cube, disclosure_problems, protect
from smecyber.stats.protect import safe_pattern

from .populations import rows_of

INDICATORS = ("measures.backup", "measures.vpn", "incidents.phishing", "incidents.any")


MOST = 80


@st.composite
def surveys(draw: st.DrawFn) -> tuple[dict[str, list[str]], list[tuple], int]:
    sizes = [draw(st.integers(1, 4)) for _ in range(3)]
    universe = {"country": [f"C{i}" for i in range(sizes[0])], "sector": [f"S{i}" for i in range(sizes[1])],
                "size_band": [f"Z{i}" for i in range(sizes[2])]}
    cells = list(product(*universe.values()))
    answers = st.frozensets(st.sampled_from(INDICATORS[:3]))
    if draw(st.booleans()):
        heads = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12]), min_size=len(cells),
                              max_size=len(cells)))
        people = []
        for cell, count in zip(draw(st.permutations(cells)), heads, strict=True):
            if len(people) + count > MOST:
                break
            people += [(cell, draw(answers)) for _ in range(count)]
    else:
        hot = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=3))
        profile = st.one_of(st.sampled_from(hot), st.sampled_from(cells))
        people = draw(st.lists(st.tuples(profile, answers), max_size=MOST))
    respondents = [(*cell, ticked | ({"incidents.any"} if "incidents.phishing" in ticked else set()))
                   for cell, ticked in people]
    minimum = draw(st.sampled_from([5, 5, 5, 3, 2, 7]))
    return universe, rows_of(respondents, INDICATORS), minimum


def _queries(universe: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    return list(product(*([*universe[d], ALL] for d in ("country", "sector", "size_band"))))


def _inside(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return outer != inner and all(o in (ALL, i) for o, i in zip(outer, inner, strict=True))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_nothing_published_describes_a_small_group(survey) -> None:
    universe, rows, minimum = survey
    cube = build_cube(rows, universe, INDICATORS)
    protected = protect(cube, minimum)
    published = {q: protected.figure(*q) for q in _queries(universe)}
    shown = {q: f for q, f in published.items() if f is not None}
    # (a)
    assert all(f.n >= minimum for f in shown.values())
    assert all(f.n == cube.n[q] for q, f in shown.items())
    # (b)
    assert disclosure_problems(protected, minimum, source=cube) == []
    # (c) every pair of queries, one inside the other
    for outer, big in shown.items():
        for inner, part in shown.items():
            if _inside(outer, inner):
                rest = big.n - part.n
                assert rest == 0 or rest >= minimum, (outer, inner, rest)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.randoms(use_true_random=False))
def test_protect_is_deterministic_and_idempotent(survey, rng: random.Random) -> None:
    universe, rows, minimum = survey
    cube = build_cube(rows, universe, INDICATORS)
    first = protect(cube, minimum)
    shuffled = list(rows)
    rng.shuffle(shuffled)
    again = protect(build_cube(shuffled, universe, INDICATORS), minimum)
    assert again.hidden == first.hidden
    assert again.shown == first.shown
    assert safe_pattern(cube, minimum, start=first.hidden) == set(first.hidden)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.data())
def test_random_drill_downs_never_isolate_a_small_group(survey, data: st.DataObject) -> None:
    """An attacker clicking through filters: start anywhere, add one filter at a time; each step's difference
    (the respondents the new filter dropped) is empty or at least the minimum whenever both steps are shown."""
    universe, rows, minimum = survey
    protected = protect(build_cube(rows, universe, INDICATORS), minimum)
    query = [ALL, ALL, ALL]
    before = protected.figure(*query)
    for dimension in data.draw(st.permutations([0, 1, 2])):
        query[dimension] = data.draw(st.sampled_from(universe[("country", "sector", "size_band")[dimension]]))
        after = protected.figure(*query)
        if before is not None and after is not None:
            assert before.n - after.n == 0 or before.n - after.n >= minimum
            for name in INDICATORS:  # the dropped respondents' answers belong to a group of >= minimum too
                assert 0 <= before[name].count - after[name].count <= before.n - after.n
        before = after if after is not None else before
