"""Populations of survey responses for the statistics tests: each respondent is a profile and the options they
ticked; rows are aggregated per finest cell exactly as the platform's GROUP BY query does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smecyber.stats import Cube, build_cube

Respondent = tuple[str, str, str, frozenset[str]]


def rows_of(respondents: Iterable[Respondent], indicators: Sequence[str]) -> list[tuple]:
    cells: dict[tuple[str, str, str], list[int]] = {}
    for country, sector, size_band, ticked in respondents:
        counts = cells.setdefault((country, sector, size_band), [0] * (1 + len(indicators)))
        counts[0] += 1
        for i, name in enumerate(indicators):
            counts[1 + i] += name in ticked
    return [(*key, c[0], dict(zip(indicators, c[1:], strict=True))) for key, c in cells.items()]


def cube_of(universe: dict[str, Sequence[str]], counts: dict[tuple[str, str, str], int],
            indicators: Sequence[str] = ("measures.backup",)) -> Cube:
    """A cube from head counts per finest cell; the first half (rounded down) of each cell ticked every
    indicator."""
    rows = [(*key, n, dict.fromkeys(indicators, n // 2)) for key, n in counts.items()]
    return build_cube(rows, universe, indicators)
