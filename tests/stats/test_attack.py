"""The issue's attacks, written out: "no combination of filters, differences between queries or exports can
reveal [a group of fewer than 5]".

The population is a small regional survey with one company alone in its group: the only medium-sized
manufacturer (LT, sector C) — a named firm to anyone in the region. It answered that it was hit by ransomware.
Every attacker below sees only what the platform publishes: ProtectedCube.figure() for any filter combination.
Each attack is first run against primary suppression alone (hide cells under 5 and nothing else), to show the
attack is real, and then against protect().
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from itertools import combinations, product

import pytest

from smecyber.stats import ALL, DIMENSIONS, ProtectedCube, build_cube, protect
from smecyber.stats.cube import cube_lines

from .populations import rows_of

MINIMUM = 5
UNIVERSE = {"country": ["SE", "LV", "LT", "EE"], "sector": ["C", "J", "M"], "size_band": ["micro", "small", "medium"]}
INDICATORS = ("incidents.ransomware", "measures.backup")
HEADS = {
    ("SE", "C", "micro"): 8, ("SE", "C", "small"): 6, ("SE", "J", "micro"): 12, ("SE", "J", "small"): 7,
    ("SE", "M", "micro"): 5, ("SE", "M", "small"): 5,
    ("LV", "C", "micro"): 6, ("LV", "J", "micro"): 9, ("LV", "J", "small"): 5, ("LV", "M", "micro"): 6,
    ("LT", "C", "micro"): 7, ("LT", "J", "micro"): 5, ("LT", "J", "small"): 6, ("LT", "M", "micro"): 3,
    ("EE", "J", "micro"): 4, ("EE", "J", "small"): 2,
    ("LT", "C", "medium"): 1,  # the lone manufacturer
}
LONE = ("LT", "C", "medium")


def _population(*late: tuple[str, str, str, frozenset[str]]):
    respondents = list(late)
    for cell, heads in HEADS.items():
        for i in range(heads):
            ticked = {"measures.backup"} if i % 2 == 0 else set()
            if cell == LONE:
                ticked = {"incidents.ransomware"}  # the secret
            respondents.append((*cell, frozenset(ticked)))
    return build_cube(rows_of(respondents, INDICATORS), UNIVERSE, INDICATORS)


CUBE = _population()


def _primary_only() -> ProtectedCube:
    hidden = frozenset(k for k, n in CUBE.n.items() if n < MINIMUM)
    shown = {k: (CUBE.n[k], CUBE.counts[k]) for k in CUBE.n if k not in hidden}
    return ProtectedCube(CUBE.universe, CUBE.indicators, MINIMUM, shown, hidden)


PUBLICATIONS = {"primary suppression only": _primary_only, "protect()": lambda: protect(CUBE, MINIMUM)}

Key = tuple[str, str, str]
Figures = dict[Key, tuple[int, ...]]  # (n, ransomware, backup) of every shown query


def published(cube: ProtectedCube) -> Figures:
    """Everything an attacker can get: every filter combination, through the public call."""
    figures = {}
    for query in product(*([*UNIVERSE[d], ALL] for d in DIMENSIONS)):
        cell = cube.figure(*query)
        if cell is not None:
            figures[query] = (cell.n, *(cell[name].count for name in INDICATORS))
    return figures


def _inside(outer: Key, inner: Key) -> bool:
    return outer != inner and all(o in (ALL, i) for o, i in zip(outer, inner, strict=True))


Group = tuple[str, tuple[int, ...]]  # how it was learnt, (n, ransomware, backup) of the group


def two_queries(figures: Figures) -> Iterator[Group]:
    """All SMEs minus all SMEs of SE = the SMEs not in SE; any query minus a narrower one."""
    for outer, big in figures.items():
        for inner, part in figures.items():
            if _inside(outer, inner):
                yield f"{outer} - {inner}", tuple(b - p for b, p in zip(big, part, strict=True))


def line_remainders(figures: Figures) -> Iterator[Group]:
    """A margin minus every shown cell of its line: the hidden cells of the line, together."""
    for line in cube_lines(UNIVERSE):
        if line.parent in figures and any(c not in figures for c in line.children):
            rest = list(figures[line.parent])
            for child in line.children:
                if child in figures:
                    rest = [r - v for r, v in zip(rest, figures[child], strict=True)]
            yield f"{line.parent} minus its shown cells", tuple(rest)


def inclusion_exclusion(figures: Figures) -> Iterator[Group]:
    """Total - country - sector + country×sector = neither that country nor that sector (and the same with
    sizes, in one, two or three dimensions at once, under any fixed filters)."""
    for base in figures:
        free = [d for d in range(3) if base[d] == ALL]
        for count in (2, 3):
            for dims in combinations(free, count):
                for values in product(*(UNIVERSE[DIMENSIONS[d]] for d in dims)):
                    total = [0] * (1 + len(INDICATORS))
                    for chosen in product((False, True), repeat=count):
                        key = list(base)
                        for d, v, pick in zip(dims, values, chosen, strict=True):
                            if pick:
                                key[d] = v
                        figure = figures.get((key[0], key[1], key[2]))
                        if figure is None:
                            break
                        sign = -1 if sum(chosen) % 2 else 1
                        total = [t + sign * f for t, f in zip(total, figure, strict=True)]
                    else:
                        yield f"{base} without {values} in {dims}", tuple(total)


def solved_cells(figures: Figures) -> Iterator[Group]:
    """Every additive line as an equation, the hidden cells as unknowns, solved exactly (Gauss-Jordan)."""
    hidden = [k for k in product(*([*UNIVERSE[d], ALL] for d in DIMENSIONS)) if k not in figures]
    rows = []
    for line in cube_lines(UNIVERSE):
        coefficients: dict[Key, Fraction] = {}
        constant = [Fraction(0)] * (1 + len(INDICATORS))
        for key, sign in ((line.parent, 1), *((c, -1) for c in line.children)):
            if key in figures:
                constant = [c - sign * v for c, v in zip(constant, figures[key], strict=True)]
            else:
                coefficients[key] = coefficients.get(key, Fraction(0)) + sign
        if coefficients:
            rows.append((coefficients, constant))
    solved: list[tuple[Key, dict[Key, Fraction], list[Fraction]]] = []
    for unknown in hidden:
        pivot = next((r for r in rows if r[0].get(unknown)), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        scale = pivot[0][unknown]
        coefficients = {k: v / scale for k, v in pivot[0].items()}
        constant = [v / scale for v in pivot[1]]
        for other in [*rows, *((c, b) for _, c, b in solved)]:
            factor = other[0].pop(unknown, 0)
            if factor:
                for k, v in coefficients.items():
                    if k != unknown:
                        other[0][k] = other[0].get(k, 0) - factor * v
                        if not other[0][k]:
                            del other[0][k]
                other[1][:] = [o - factor * c for o, c in zip(other[1], constant, strict=True)]
        solved.append((unknown, coefficients, constant))
    for unknown, coefficients, constant in solved:
        if list(coefficients) == [unknown]:
            yield f"solving the lines for hidden {unknown}", tuple(int(v) for v in constant)


ATTACKS: dict[str, Callable[[Figures], Iterator[Group]]] = {
    "difference of two queries": two_queries,
    "margin minus the shown cells of its line": line_remainders,
    "inclusion-exclusion over countries, sectors and sizes": inclusion_exclusion,
    "solving the country x sector x size table against its margins": solved_cells,
}


def small_groups(attack: Callable[[Figures], Iterator[Group]], cube: ProtectedCube) -> list[Group]:
    return [(how, figures) for how, figures in attack(published(cube)) if 0 < figures[0] < MINIMUM]


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_breaks_primary_suppression(name: str) -> None:
    leaks = small_groups(ATTACKS[name], _primary_only())
    assert leaks, f"{name} should find a small group when only small cells are hidden"
    # ... and the worst: the lone company's answer, e.g. LT/C/* minus LT/C/micro
    if name in ("difference of two queries", "margin minus the shown cells of its line"):
        assert any(figures == (1, 1, 0) for _, figures in leaks)


@pytest.mark.parametrize("name", ATTACKS)
def test_no_attack_learns_a_small_group_from_protect(name: str) -> None:
    assert small_groups(ATTACKS[name], protect(CUBE, MINIMUM)) == []


def test_no_attack_learns_a_hidden_cell_from_protect() -> None:
    protected = protect(CUBE, MINIMUM)
    assert list(solved_cells(published(protected))) == []


def test_the_lone_company_is_invisible_in_every_filter() -> None:
    protected = protect(CUBE, MINIMUM)
    for query in product(*([v, ALL] for v in LONE)):
        figure = protected.figure(*query)
        assert figure is None or figure.n >= MINIMUM
    assert protected.figure(*LONE) is None
    assert protected.figure("LT", "C") is None  # 8 = 7 micro + the lone one: it would differ from LT/C/micro by 1


def test_the_same_data_publishes_the_same_cells_every_time() -> None:
    """The web page, the API and each export call protect() on the same closed campaign: identical output,
    so comparing two exports gives nothing the first did not."""
    first, second = published(protect(CUBE, MINIMUM)), published(protect(_population(), MINIMUM))
    assert first == second


def test_two_releases_of_changing_data_do_reveal_the_newcomer() -> None:
    """Why only a closed campaign is published: the engine cannot protect two different data sets against each
    other. One late response changes the shown total by one, and its answers with it."""
    after = _population(("LT", "C", "micro", frozenset({"incidents.ransomware"})))
    old, new = protect(CUBE, MINIMUM).figure(), protect(after, MINIMUM).figure()
    assert (new.n - old.n, new["incidents.ransomware"].count - old["incidents.ransomware"].count) == (1, 1)
