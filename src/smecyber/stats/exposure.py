"""The attacks protect() must defeat beyond single lines, found with linear algebra modulo a prime.

The attacker holds every shown cell and knows the additive relations; the hidden finest cells (empty ones
included: the attacker does not know they are empty) are the unknowns. Two questions:

* *cells*: does a hidden cell of any level follow exactly? (a bridge between two blocks of hidden cells; a
  country × sector table solved against the country and the sector totals)
* *groups*: does the size of some group of respondents follow exactly and is it 1..minimum-1? A group is any
  union of finest cells, however odd ("neither SE nor sector C"): a shown cell minus a shown cell inside it,
  or total - country - sector + country×sector, are such groups.

Both have one answer: a sum of unknowns follows iff its vector lies in the row space of the shown cells (as
vectors over the unknowns). Cells are tested with random null-space vectors (a hidden cell on which one does not
vanish cannot follow); groups are searched exactly (see group_attacks). Each hit comes with the shown cells to
choose from: those every way of working it out needs, found from a random dependency among the rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import product

from .cube import ALL, Key
from .modp import PRIME, Basis

DRAWS = 2


class Layout:
    """The finest cells inside every cell of a universe (computed once per protect() call)."""

    def __init__(self, keys: list[Key]) -> None:
        self.finest = [k for k in keys if ALL not in k]
        self.members: dict[Key, list[int]] = {k: [] for k in keys}
        for i, f in enumerate(self.finest):
            for mask in product((False, True), repeat=3):  # the cell itself and its seven margins
                self.members[(ALL if mask[0] else f[0], ALL if mask[1] else f[1], ALL if mask[2] else f[2])].append(i)
        self.margins = sorted((k for k in keys if ALL in k), key=lambda k: (k.count(ALL), k))


class _System:
    """The shown margins as rows over the ``unknown`` finest cells (a shown finest cell is simply known).

    A row's pivot is the column of least ``prefer`` (default 0), then the one that appears in the fewest rows
    still to come (a pivot no later row needs causes no fill-in).
    """

    def __init__(self, layout: Layout, hidden: set[Key], unknown: list[int], prefer: dict[int, int] | None = None):
        self.layout = layout
        self.hidden = hidden
        self.column = {f: i for i, f in enumerate(unknown)}
        self.prefer = {self.column[f]: v for f, v in (prefer or {}).items() if f in self.column}
        self.basis = self._basis()
        self._dependency: dict | None = None

    def _basis(self) -> Basis:
        basis = Basis(len(self.column))
        rows = []
        later: dict[int, int] = {}
        for key in self.layout.margins:
            if key not in self.hidden:
                vector = {self.column[f]: 1 for f in self.layout.members[key] if f in self.column}
                if vector:
                    rows.append((key, vector))
                    for c in vector:
                        later[c] = later.get(c, 0) + 1
        prefer = self.prefer

        def rank(c: int) -> tuple[int, int, int]:
            return (prefer.get(c, 0), later[c], c)

        for key, vector in rows:
            for c in vector:
                later[c] -= 1
            basis.add(vector, key, rank)
        return basis

    def draws(self, seed: int) -> list[list[int]]:
        rng = random.Random(seed)
        return [self.basis.null_vector(rng) for _ in range(DRAWS)]

    def formula(self, finest: list[int]) -> set[Key] | None:
        """The shown cells to hide, one of which breaks the working out of the sum of ``finest`` (``None``
        when it cannot be worked out): the shown margins every way of working it out needs (a margin that a
        combination of other rows can stand in for is no use), else the cells of the way found that overlap
        ``finest`` (else all of them)."""
        target = {self.column[f]: 1 for f in finest if f in self.column}
        combo = self.basis.combination_of(target)
        if combo is None:
            return None
        if self._dependency is None:
            self._dependency = self.basis.dependency(random.Random(3))
        needed = {k for k in combo if k not in self._dependency}
        if needed:
            return needed
        rest: dict[int, int] = {}  # known finest cells the combination leaves over: part of the formula too
        for f in finest:
            if f not in self.column:
                rest[f] = rest.get(f, 0) + 1
        for key, value in combo.items():
            for f in self.layout.members[key]:
                if f not in self.column:
                    rest[f] = (rest.get(f, 0) - value) % PRIME
        cells = set(combo)
        cells.update(self.layout.finest[f] for f, v in rest.items() if v % PRIME)
        cells = {k for k in cells if k not in self.hidden}
        # every margin has a stand-in: the combination found may wander over the whole cube, but the cells
        # that overlap the target are in every way's neighbourhood
        wanted = set(finest)
        near = {k for k in cells if not wanted.isdisjoint(self.layout.members[k])}
        return near or cells


def attacks(layout: Layout, n: dict[Key, int], hidden: set[Key], minimum: int) -> list[set[Key]]:
    """The attacks found, each as the shown cells to choose one from to hide. Both attackers use one system:
    the hidden finest cells as unknowns (an empty cell is unknown to the attacker as well)."""
    unknown = [i for i, f in enumerate(layout.finest) if f in hidden]
    prefer = {i: minimum - n[layout.finest[i]] for i in unknown if n[layout.finest[i]] < minimum}
    system = _System(layout, hidden, unknown, prefer)
    return [*group_attacks(system, n, minimum), *cell_attacks(system)]


def cell_attacks(system: _System) -> Iterator[set[Key]]:
    """Hidden cells the shown cells pin down (a random null vector summing to zero over a cell is the test;
    a cell that is not pinned down passes it only with probability 2**-61 per draw)."""
    layout, column = system.layout, system.column
    draws = system.draws(seed=0)
    for key in sorted(system.hidden):
        columns = [column[f] for f in layout.members[key] if f in column]
        if any(sum(d[c] for c in columns) % PRIME for d in draws):
            continue
        cells = system.formula(layout.members[key])
        if cells is not None:
            yield cells


def group_attacks(system: _System, n: dict[Key, int], minimum: int) -> Iterator[set[Key]]:
    """Groups of 1..minimum-1 respondents the shown cells pin down (a group may hold empty cells: the attacker
    does not know they are empty, and they add nobody).

    Exact, no chance involved: ``residual`` is linear and vanishes exactly on the row space, so a group is
    pinned down iff its members' residuals add up to zero. The basis pivots on large cells wherever it can (then
    on the largest small ones, empty ones last); a small cell that is a free column has itself as residual. A
    pinned group is therefore some small *pivot* cells whose residuals add up to zero except on small free cells,
    where they leave -1: those cells complete the group. The search grows sets of pivot cells within the size
    budget, each step adding one that touches a column which must still change.
    """
    layout = system.layout
    size = {i: n[layout.finest[i]] for i in system.column}
    small = {i for i in system.column if size[i] < minimum}
    column = system.column
    cell_of = {c: f for f, c in column.items()}
    basis = system.basis
    seed_rows = [r for r, p in enumerate(basis.pivot) if cell_of[p] in small]
    seeds = sorted(cell_of[basis.pivot[r]] for r in seed_rows)
    residual = {cell_of[p]: v for p, v in basis.pivot_residuals(seed_rows).items()}
    minus_one = PRIME - 1
    fixable = {column[i]: size[i] for i in small if i not in seeds}  # small free cells: may join the group
    touching: dict[int, set[int]] = {}
    for i in seeds:
        for c in residual[i]:
            touching.setdefault(c, set()).add(i)
    # A column only one seed touches keeps that seed's value in every sum it is part of: unless that value is
    # -1 on a small free cell, the seed is in no pinned group. Dropping it may strand others: repeat.
    queue = list(seeds)
    alive = set(seeds)
    while queue:
        i = queue.pop()
        if i in alive and any(len(touching[c]) == 1 and (v != minus_one or c not in fixable)
                              for c, v in residual[i].items()):
            alive.discard(i)
            for c in residual[i]:
                touching[c].discard(i)
                queue.extend(touching[c])
    touching_list = {c: sorted(js) for c, js in touching.items()}
    most = minimum - 1
    found: set[frozenset[int]] = set()
    visited: set[frozenset[int]] = set()

    def grow(group: frozenset[int], total: int, vector: dict[int, int]) -> None:
        visited.add(group)
        room = most - total

        def movers(c: int) -> list[int]:
            return [j for j in touching_list[c] if j not in group and size[j] <= room]

        ways = None  # the seeds one of which must come next
        everyone = total  # respondents in the group as it stands
        stuck = total  # ... of whom no further seed can take any out
        must: list[int] = []  # columns that must still change
        for c, v in vector.items():
            if v == minus_one and c in fixable:
                everyone += fixable[c]
                if fixable[c] and not movers(c):
                    stuck += fixable[c]
            else:
                must.append(c)
                m = movers(c)
                if not m:
                    return
                if ways is None or len(m) < len(ways):
                    ways = m
        if stuck > most:
            return
        if ways is None:
            if everyone == 0:
                return  # a group known to be empty says nothing about anyone
            if everyone <= most:
                found.add(group | {cell_of[c] for c in vector})
                return
            # too many respondents: further seeds must take free cells out, more than they bring in themselves
            ways = sorted({j for c in vector if fixable.get(c) for j in movers(c)})
            if not any(size[j] == 0 for j in ways) and stuck + 1 > most:
                return
        for j in ways:
            if group | {j} in visited:
                continue
            if not free_seeds and total + size[j] + smallest > most and not _could_close(vector, j, must):
                continue  # nothing can follow j, and j does not close the group
            merged = dict(vector)
            for c, v in residual[j].items():
                value = (merged.get(c, 0) + v) % PRIME
                if value:
                    merged[c] = value
                else:
                    del merged[c]
            grow(group | {j}, total + size[j], merged)

    free_seeds = any(size[i] == 0 for i in alive)  # empty pivot cells add nobody: no budget bounds them
    smallest = min((size[i] for i in alive), default=0)

    def _could_close(vector: dict[int, int], j: int, must: list[int]) -> bool:
        """Whether adding j leaves every column at 0, or at -1 on a small free cell (checked without copying:
        most candidates fail on the first columns)."""
        if any(c not in residual[j] for c in must):
            return False
        for c, v in residual[j].items():
            value = (vector.get(c, 0) + v) % PRIME
            if value and (value != minus_one or c not in fixable):
                return False
        return True

    for i in sorted(alive):
        grow(frozenset((i,)), size[i], dict(residual[i]))
    for group in sorted(found, key=sorted):
        cells = system.formula(sorted(group))
        if cells is not None:
            yield cells
