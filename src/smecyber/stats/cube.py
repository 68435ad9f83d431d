"""The aggregate cube: responses counted by country × sector × size band, with every margin.

A cell is a combination of one value or ``ALL`` ("*") per dimension; ``ALL`` cells are margins, the sum of the
cells below them. The universe lists every value the campaign's question offers, so a group nobody answered for
still has its (empty) cell: an empty cell is a figure too ("no SME of sector B in LV took part") and the
protection must treat it like any other small group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

DIMENSIONS: tuple[str, str, str] = ("country", "sector", "size_band")
ALL = "*"

Key = tuple[str, str, str]
Row = tuple[str, str, str, int, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Line:
    """An additive relation: ``parent`` (``ALL`` in dimension ``dimension``) is the sum of ``children``."""

    dimension: int
    parent: Key
    children: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.parent, *self.children)


@dataclass(frozen=True, slots=True)
class Cube:
    """Every cell of the universe with its response count ``n`` and indicator ``counts`` (aligned to
    ``indicators``). Build it with :func:`build_cube`."""

    universe: dict[str, tuple[str, ...]]
    indicators: tuple[str, ...]
    n: dict[Key, int]
    counts: dict[Key, tuple[int, ...]]
    _lines: list[Line] = field(default_factory=list, repr=False, compare=False)

    def keys(self) -> list[Key]:
        return list(self.n)

    def lines(self) -> list[Line]:
        if not self._lines:
            self._lines.extend(cube_lines(self.universe))
        return self._lines

    def count(self, key: Key, indicator: str) -> int:
        return self.counts[key][self.indicators.index(indicator)]


def cube_keys(universe: Mapping[str, Sequence[str]]) -> list[Key]:
    """Every cell of the universe: finest cells first, then margins (each value list followed by ``ALL``)."""
    axes = [(*universe[d], ALL) for d in DIMENSIONS]
    return sorted(product(*axes), key=lambda k: sum(v == ALL for v in k))


def cube_lines(universe: Mapping[str, Sequence[str]]) -> list[Line]:
    """Every additive line: two dimensions fixed (a value or ``ALL``), the third varies under its ``ALL``."""
    axes = [(*universe[d], ALL) for d in DIMENSIONS]
    lines = []
    for d in range(3):
        others = [axes[i] if i != d else (ALL,) for i in range(3)]
        for parent in product(*others):
            children = tuple(_with(parent, d, v) for v in universe[DIMENSIONS[d]])
            lines.append(Line(d, parent, children))
    return lines


def _with(key: Key, dimension: int, value: str) -> Key:
    k = list(key)
    k[dimension] = value
    return (k[0], k[1], k[2])


def check_universe(universe: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    missing = [d for d in DIMENSIONS if d not in universe]
    if missing:
        raise ValueError(f"the universe has no values for {', '.join(missing)}")
    checked = {}
    for d in DIMENSIONS:
        values = tuple(universe[d])
        if not values:
            raise ValueError(f"the universe has no values for {d}")
        if ALL in values:
            raise ValueError(f"{ALL!r} is the margin, not a value of {d}")
        if len(set(values)) != len(values):
            raise ValueError(f"the values of {d} repeat")
        checked[d] = values
    return checked


def build_cube(rows: Iterable[Row], universe: Mapping[str, Sequence[str]],
               indicators: Sequence[str] | None = None) -> Cube:
    """The cube of ``rows`` (country, sector, size_band, n, counts) given at the finest level.

    Rows of the same finest cell add up. ``indicators`` fixes the indicator order (default: as first seen);
    a row's missing indicator counts 0. Values outside the universe, negative numbers and counts above ``n``
    are errors: they would make a margin disagree with what the respondents said.
    """
    universe = check_universe(universe)
    rows = list(rows)
    names = list(indicators) if indicators is not None else []
    if indicators is None:
        seen = set()
        for row in rows:
            for name in row[4]:
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    position = {name: i for i, name in enumerate(names)}
    if len(position) != len(names):
        raise ValueError("the indicators repeat")
    width = len(names)
    keys = cube_keys(universe)
    n = dict.fromkeys(keys, 0)
    totals: dict[Key, list[int]] = {k: [0] * width for k in keys}
    allowed = [set(universe[d]) for d in DIMENSIONS]
    for country, sector, size_band, count_n, counts in rows:
        key = (country, sector, size_band)
        for d, value in enumerate(key):
            if value not in allowed[d]:
                raise ValueError(f"{value!r} is not a {DIMENSIONS[d]} of this universe")
        if count_n < 0:
            raise ValueError(f"negative number of responses in {key}")
        vector = totals[key]
        for name, value in counts.items():
            if name not in position:
                raise ValueError(f"unknown indicator {name!r}")
            if not 0 <= value <= count_n:
                raise ValueError(f"{name} counts {value} of {count_n} responses in {key}")
            vector[position[name]] += value
        n[key] += count_n
    # Margins dimension by dimension: (a,b,*) from the finest, (a,*,c) and (*,b,c) likewise; a cell with two
    # or three ALL comes from a line whose children are already summed (cube_keys orders by number of ALL).
    for key in keys:
        if ALL not in key:
            continue
        d = key.index(ALL)
        children = [_with(key, d, v) for v in universe[DIMENSIONS[d]]]
        n[key] = sum(n[c] for c in children)
        totals[key] = [sum(column) for column in zip(*(totals[c] for c in children), strict=True)] if width else []
    return Cube(universe, tuple(names), n, {k: tuple(v) for k, v in totals.items()})
