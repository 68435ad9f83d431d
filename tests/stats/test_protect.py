"""protect() on small crafted populations: what is hidden, what stays shown, and why."""

from __future__ import annotations

import pytest

from smecyber.stats import ALL, disclosure_problems, protect
from smecyber.stats.protect import ProtectedCube, hidden_pattern, safe_pattern

from .populations import cube_of

ONE_LINE = {"country": ["SE", "LV", "LT", "EE"], "sector": ["J"], "size_band": ["micro"]}


def _line(counts: dict[str, int]):
    return cube_of(ONE_LINE, {(c, "J", "micro"): counts.get(c, 0) for c in ONE_LINE["country"]})


def _hidden_countries(protected: ProtectedCube) -> set[str]:
    return {c for c in ONE_LINE["country"] if protected.figure(country=c) is None}


def test_a_small_cell_is_hidden_at_every_level() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 8, "EE": 3}), 5)
    assert protected.figure(country="EE") is None
    assert protected.figure(country="EE", sector="J") is None
    assert protected.figure(country="EE", sector="J", size_band="micro") is None
    shown = protected.figure(country="SE", sector="J", size_band="micro")
    assert shown is not None and shown.n == 20


def test_a_line_with_one_small_child_hides_a_second_one_the_smallest() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 8, "EE": 3}), 5)
    # EE alone would be the total minus the others; LT (8) is the smallest shown child, and 3 + 8 >= 5
    assert _hidden_countries(protected) == {"EE", "LT"}
    assert protected.figure().n == 40
    assert protected.figure(country="LV").n == 9


def test_hidden_children_below_the_minimum_together_hide_one_more() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 2, "EE": 1}), 5)
    # LT and EE are two, but together only 3 respondents: total - SE - LV = 3 would tell about them
    assert _hidden_countries(protected) == {"EE", "LT", "LV"}
    assert protected.figure().n == 32
    assert protected.figure(country="SE").n == 20


def test_an_empty_child_counts_as_small() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 8, "EE": 0}), 5)
    # "no respondent from EE" is a figure about fewer than 5 too; total - SE - LV - LT = 0 would say it
    assert _hidden_countries(protected) == {"EE", "LT"}


def test_everything_below_the_minimum_hides_everything() -> None:
    protected = protect(_line({"SE": 2, "LV": 1, "LT": 1}), 5)
    assert protected.shown_keys() == []
    assert protected.figure() is None
    assert len(protected.hidden_keys()) == 5 * 2 * 2


def test_a_universe_without_responses_shows_nothing() -> None:
    protected = protect(cube_of(ONE_LINE, {}), 5)
    assert protected.shown_keys() == []


def test_large_groups_everywhere_hide_nothing() -> None:
    counts = {(c, "J", "micro"): 10 + i for i, c in enumerate(ONE_LINE["country"])}
    protected = protect(cube_of(ONE_LINE, counts), 5)
    assert protected.hidden_keys() == []
    assert protected.figure(country="LT").n == 12


def test_figures_of_a_shown_cell() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 8, "EE": 3}), 5)
    cell = protected.figure(country="SE")
    assert cell.n == 20
    backup = cell["measures.backup"]
    assert backup.count == 10
    assert backup.percent == 50.0
    assert backup.ci_low == pytest.approx(29.93, abs=0.01)
    assert backup.ci_high == pytest.approx(70.07, abs=0.01)
    assert protected.figure(country="SE") is cell  # computed once


def test_unknown_values_raise_instead_of_looking_hidden() -> None:
    protected = protect(_line({"SE": 20}), 5)
    with pytest.raises(KeyError):
        protected.figure(country="FI")


def test_minimum_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        protect(_line({"SE": 20}), 0)


def test_hidden_figures_are_not_kept_in_the_published_object() -> None:
    protected = protect(_line({"SE": 20, "LV": 9, "LT": 8, "EE": 3}), 5)
    assert all(key not in protected.shown for key in protected.hidden)
    assert set(protected.shown) | protected.hidden == set(_line({}).n)


# --- the two-dimensional attacks: a table against its margins ---------------------------------------------

TABLE = {"country": ["SE", "LV", "LT"], "sector": ["C", "J", "M"], "size_band": ["micro"]}


def test_country_by_sector_table_against_its_margins() -> None:
    """Country totals, sector totals, the grand total and the SE×C cell were all large; the four small cells of
    LV/LT × J/M hold 3 respondents. total - SE - C + SE×C = 3 would name them, and no line rule sees it (every
    line holds two or more hidden cells with at least 5 responses)."""
    counts = {("SE", "C"): 10, ("SE", "J"): 10, ("SE", "M"): 10, ("LV", "C"): 10, ("LV", "J"): 1, ("LV", "M"): 1,
              ("LT", "C"): 10, ("LT", "J"): 1, ("LT", "M"): 0}
    cube = cube_of(TABLE, {(c, s, "micro"): n for (c, s), n in counts.items()})
    protected = protect(cube, 5)
    assert disclosure_problems(protected, 5, source=cube) == []
    formula = [(ALL, ALL), ("SE", ALL), (ALL, "C"), ("SE", "C")]
    assert any(protected.figure(country=c, sector=s) is None for c, s in formula)


def _line_rules_only(cube, minimum: int) -> ProtectedCube:
    hidden = hidden_pattern(cube.n, cube.lines(), minimum)
    shown = {k: (cube.n[k], cube.counts[k]) for k in cube.n if k not in hidden}
    return ProtectedCube(cube.universe, cube.indicators, minimum, shown, frozenset(hidden))


CUBE3 = {"country": ["c0", "c1"], "sector": ["s0", "s1"], "size_band": ["z0", "z1"]}


def test_a_difference_the_line_rules_miss_is_closed() -> None:
    """Found by the property test: with the line rules alone, "size z0" (16) minus "c1, s0, z0" (12) tells that
    4 respondents of size z0 are not c1/s0 — two published figures, one inside the other."""
    counts = {("c0", "s0", "z0"): 1, ("c0", "s0", "z1"): 3, ("c0", "s1", "z0"): 2, ("c0", "s1", "z1"): 3,
              ("c1", "s0", "z0"): 12, ("c1", "s0", "z1"): 5, ("c1", "s1", "z0"): 1, ("c1", "s1", "z1"): 3}
    cube = cube_of(CUBE3, counts)
    naive = _line_rules_only(cube, 5)
    assert naive.figure(size_band="z0").n - naive.figure("c1", "s0", "z0").n == 4
    protected = protect(cube, 5)
    assert disclosure_problems(protected, 5, source=cube) == []
    assert protected.figure(size_band="z0") is None or protected.figure("c1", "s0", "z0") is None


def test_protect_is_a_fixed_point_of_its_own_rules() -> None:
    counts = {("c0", "s0", "z0"): 1, ("c0", "s0", "z1"): 3, ("c0", "s1", "z0"): 2, ("c0", "s1", "z1"): 3,
              ("c1", "s0", "z0"): 12, ("c1", "s0", "z1"): 5, ("c1", "s1", "z0"): 1, ("c1", "s1", "z1"): 3}
    cube = cube_of(CUBE3, counts)
    hidden = protect(cube, 5).hidden
    assert safe_pattern(cube, 5, start=hidden) == hidden


def test_hidden_cells_that_solving_the_lines_would_give_stay_hidden() -> None:
    """Found by a random search: every line keeps two or more hidden cells and no small remainder, yet the lines
    solved together give hidden cells exactly (a margin of 6, an empty cell). protect() hides one more cell."""
    universe = {"country": ["c0", "c1"], "sector": ["s0", "s1", "s2"], "size_band": ["z0", "z1", "z2"]}
    counts = {("c0", "s0", "z2"): 5, ("c0", "s1", "z0"): 5, ("c0", "s1", "z1"): 5, ("c0", "s2", "z0"): 5,
              ("c0", "s2", "z1"): 5, ("c1", "s0", "z1"): 6, ("c1", "s0", "z2"): 5, ("c1", "s1", "z1"): 5,
              ("c1", "s1", "z2"): 5, ("c1", "s2", "z0"): 5}
    cube = cube_of(universe, counts)
    naive = _line_rules_only(cube, 5)
    assert any("is worked out from the shown cells: n=6" in p for p in disclosure_problems(naive, 5, source=cube))
    protected = protect(cube, 5)
    assert disclosure_problems(protected, 5, source=cube) == []
    assert len(protected.hidden) == len(naive.hidden) + 1
