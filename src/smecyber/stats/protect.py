"""Suppression of small groups in the cube, safe against an attacker who combines everything published.

The rule is about responses (``n``), not about each indicator, and that is enough:

* A shown cell describes at least ``minimum`` responses, so every figure published for it (the number of
  responses, each indicator's count, percent and interval) is a statement about a group of at least ``minimum``.
* A hidden group can only be learnt together with others, at least ``minimum`` responses in all: no hidden cell
  follows from the shown ones, and no group of respondents an attacker can name (a union of finest cells) has a
  size that follows from them and lies in 1..minimum-1. Every indicator count obeys exactly the same additive
  relations as ``n`` (a margin's count is the sum of its children's counts), so whatever combination of shown
  figures would give a hidden cell's or a group's indicator count would give its ``n`` as well: the one hidden
  pattern protects them all. (A shown group of 5 where all 5 ticked an option is published as 100 %: that is a
  statement about 5 respondents together, the price of showing percentages at all.)

The pattern is built in three steps, repeated until nothing changes:

1. primary suppression: every cell with ``n < minimum``, empty cells included ("nobody of sector B in LV
   answered" is a figure about fewer than ``minimum`` too);
2. the line rules, over every additive line (two dimensions fixed, the third varying; the parent ``ALL`` cell is
   the sum of the children): a line with exactly one hidden member hides another (the shown member with the
   smallest ``n``, children before the parent), otherwise the hidden one is the parent minus the others; a line
   whose parent is shown and whose hidden children add up to less than ``minimum`` hides its smallest shown
   child, otherwise the parent minus the shown children is a small group;
3. the attacks the lines do not see (:mod:`.exposure`): hidden cells that follow from several lines at once,
   and small groups that follow from any combination of shown cells (differences of nested queries,
   inclusion–exclusion across dimensions). Each is answered by hiding the smallest shown cell its working-out
   needs, and the line rules run again.

Everything is deterministic (ties broken by the key, fixed seeds), so the web page, the API and every export of
the same data publish the same cells: comparing two of them gives nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .ci import wilson
from .cube import ALL, DIMENSIONS, Cube, Key, Line
from .exposure import Layout, attacks


@dataclass(frozen=True, slots=True)
class IndicatorFigure:
    count: int
    percent: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class CellFigures:
    """What may be published about one cell: its number of responses and every indicator."""

    n: int
    indicators: dict[str, IndicatorFigure]

    def __getitem__(self, indicator: str) -> IndicatorFigure:
        return self.indicators[indicator]


@dataclass(slots=True)
class ProtectedCube:
    """The publishable part of a cube: only the shown cells' figures are kept (a hidden cell's numbers are not
    in this object at all, so caching or pickling it cannot leak them)."""

    universe: dict[str, tuple[str, ...]]
    indicators: tuple[str, ...]
    minimum: int
    shown: dict[Key, tuple[int, tuple[int, ...]]]
    hidden: frozenset[Key]
    _figures: dict[Key, CellFigures] = field(default_factory=dict, repr=False, compare=False)

    def figure(self, country: str = ALL, sector: str = ALL, size_band: str = ALL) -> CellFigures | None:
        """The figures of one cell, ``None`` when the cell is hidden. Unknown values raise ``KeyError``."""
        key = (country, sector, size_band)
        cached = self._figures.get(key)
        if cached is not None:
            return cached
        if key in self.hidden:
            return None
        if key not in self.shown:
            raise KeyError(f"{key} is not a cell of this universe")
        n, counts = self.shown[key]
        figures = {}
        for name, count in zip(self.indicators, counts, strict=True):
            low, high = wilson(count, n)
            figures[name] = IndicatorFigure(count, 100 * count / n, low, high)
        cell = CellFigures(n, figures)
        self._figures[key] = cell
        return cell

    def shown_keys(self) -> list[Key]:
        return list(self.shown)

    def hidden_keys(self) -> list[Key]:
        return sorted(self.hidden)

    def is_shown(self, key: Key) -> bool:
        return key in self.shown


def protect(cube: Cube, minimum: int) -> ProtectedCube:
    """The cube with every cell hidden that could describe, alone or combined with the shown ones, a group
    of fewer than ``minimum`` responses."""
    if minimum < 1:
        raise ValueError("the minimum group is at least 1")
    hidden = safe_pattern(cube, minimum)
    shown = {k: (cube.n[k], cube.counts[k]) for k in cube.n if k not in hidden}
    return ProtectedCube(cube.universe, cube.indicators, minimum, shown, frozenset(hidden))


def safe_pattern(cube: Cube, minimum: int, start: Iterable[Key] = ()) -> set[Key]:
    """The line rules, then the attacks of :mod:`.exposure` (each answered by hiding the smallest shown cell
    of its formula, children before margins), until neither finds anything. ``start`` adds cells to hide from
    the beginning (protecting an already protected pattern changes nothing: the result is a fixed point)."""
    layout = Layout(cube.keys())
    lines = cube.lines()
    hidden = hidden_pattern(cube.n, lines, minimum, start)
    while True:
        extra = {min(cells, key=lambda k: (cube.n[k], k.count(ALL), k))
                 for cells in attacks(layout, cube.n, hidden, minimum) if cells}
        if not extra:
            return hidden
        hidden = hidden_pattern(cube.n, lines, minimum, hidden | extra)


def hidden_pattern(n: dict[Key, int], lines: Iterable[Line], minimum: int, start: Iterable[Key] = ()) -> set[Key]:
    """The cells to hide: primary suppression (and ``start``), then the two line rules until stable
    (deterministic: ties are broken by the key)."""
    lines = list(lines)
    lines_of: dict[Key, list[int]] = {k: [] for k in n}
    for i, line in enumerate(lines):
        for k in line.members:
            lines_of[k].append(i)
    hidden = {k for k, v in n.items() if v < minimum} | set(start)
    pending = sorted({i for k in hidden for i in lines_of[k]})
    queued = set(pending)
    while pending:
        i = pending.pop()
        queued.discard(i)
        line = lines[i]
        added = _complement(line, n, hidden, minimum)
        if added is None:
            continue
        hidden.add(added)
        for j in lines_of[added]:
            if j not in queued:
                queued.add(j)
                pending.append(j)
        if i not in queued:  # the line itself may need more than one extra cell
            queued.add(i)
            pending.append(i)
    return hidden


def _complement(line: Line, n: dict[Key, int], hidden: set[Key], minimum: int) -> Key | None:
    """The next cell the line needs hidden, or ``None`` when the line is safe."""
    hidden_children = [c for c in line.children if c in hidden]
    parent_hidden = line.parent in hidden
    count = len(hidden_children) + parent_hidden
    if count == 0:
        return None
    if count == 1:
        candidates = [c for c in line.children if c not in hidden]
        if not candidates:
            return line.parent
        return min(candidates, key=lambda c: (n[c], c))
    if not parent_hidden and sum(n[c] for c in hidden_children) < minimum:
        candidates = [c for c in line.children if c not in hidden]
        return min(candidates, key=lambda c: (n[c], c)) if candidates else None
    return None


__all__ = ["ALL", "DIMENSIONS", "CellFigures", "IndicatorFigure", "ProtectedCube", "protect"]
