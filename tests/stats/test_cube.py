"""build_cube: every cell of the universe with its margins, and input that would make margins lie refused."""

from __future__ import annotations

import pytest

from smecyber.stats import ALL, build_cube

UNIVERSE = {"country": ["SE", "LV"], "sector": ["C", "J"], "size_band": ["micro", "small", "medium"]}
ROWS = [
    ("SE", "C", "micro", 4, {"backup": 3, "vpn": 1}),
    ("SE", "J", "small", 6, {"backup": 6, "vpn": 2}),
    ("LV", "J", "micro", 7, {"backup": 1}),
    ("LV", "J", "micro", 1, {"backup": 1, "vpn": 1}),  # a second row of the same cell adds up
]


def test_every_combination_with_margins_exists_empty_ones_included() -> None:
    cube = build_cube(ROWS, UNIVERSE)
    assert len(cube.n) == 3 * 3 * 4
    assert cube.n[("LV", "C", "medium")] == 0
    assert cube.counts[("LV", "C", "medium")] == (0, 0)
    assert cube.indicators == ("backup", "vpn")


def test_margins_are_sums_of_their_cells() -> None:
    cube = build_cube(ROWS, UNIVERSE)
    assert cube.n[(ALL, ALL, ALL)] == 18
    assert cube.n[("SE", ALL, ALL)] == 10
    assert cube.n[("LV", "J", ALL)] == 8
    assert cube.n[(ALL, "J", "micro")] == 8
    assert cube.n[(ALL, ALL, "micro")] == 12
    assert cube.count((ALL, ALL, ALL), "backup") == 11
    assert cube.count(("LV", ALL, "micro"), "vpn") == 1
    assert cube.count((ALL, "J", ALL), "vpn") == 3
    for line in cube.lines():
        assert cube.n[line.parent] == sum(cube.n[c] for c in line.children)
        for i in range(2):
            assert cube.counts[line.parent][i] == sum(cube.counts[c][i] for c in line.children)


def test_lines_cover_every_cell_three_times() -> None:
    cube = build_cube(ROWS, UNIVERSE)
    seen: dict[tuple, int] = {}
    for line in cube.lines():
        for key in line.members:
            seen[key] = seen.get(key, 0) + 1
    assert set(seen) == set(cube.n)
    assert set(seen.values()) == {3}


def test_indicator_order_can_be_fixed_and_missing_counts_are_zero() -> None:
    cube = build_cube(ROWS, UNIVERSE, indicators=["vpn", "backup", "none"])
    assert cube.indicators == ("vpn", "backup", "none")
    assert cube.counts[(ALL, ALL, ALL)] == (4, 11, 0)


def test_no_rows_gives_an_empty_cube() -> None:
    cube = build_cube([], UNIVERSE, indicators=["backup"])
    assert cube.n[(ALL, ALL, ALL)] == 0
    assert all(v == 0 for v in cube.n.values())


@pytest.mark.parametrize(("rows", "universe", "message"), [
    ([("FI", "C", "micro", 1, {})], UNIVERSE, "'FI' is not a country"),
    ([("SE", "C", "micro", -1, {})], UNIVERSE, "negative"),
    ([("SE", "C", "micro", 2, {"backup": 3})], UNIVERSE, "backup counts 3 of 2"),
    ([("SE", "C", "micro", 2, {"backup": -1})], UNIVERSE, "backup counts -1"),
    ([], {"country": ["SE"], "sector": ["C"]}, "no values for size_band"),
    ([], {**UNIVERSE, "sector": []}, "no values for sector"),
    ([], {**UNIVERSE, "sector": ["C", ALL]}, "is the margin"),
    ([], {**UNIVERSE, "sector": ["C", "C"]}, "repeat"),
])
def test_bad_input_is_refused(rows: list, universe: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_cube(rows, universe)


def test_unknown_indicator_with_a_fixed_list_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown indicator 'vpn'"):
        build_cube(ROWS, UNIVERSE, indicators=["backup"])
