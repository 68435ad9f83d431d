"""The attacks protect() must defeat beyond single lines, found with linear algebra modulo a prime.

Two attackers, both holding every shown cell and the additive relations:

* the *cell attacker* solves the relations for a hidden cell of any level — e.g. a bridge between two blocks of
  hidden cells, or a country × sector table against the country and the sector totals;
* the *group attacker* also knows which finest cells are empty (as a business register might tell), and looks
  for any group of respondents — a union of finest cells, however odd ("neither SE nor sector C") — whose size
  follows from the shown cells and is 1..minimum-1. A shown cell minus a shown cell inside it, or
  inclusion–exclusion over the total, a country total, a sector total and their cross cell, are such groups.

Both questions have one answer: a sum of unknown finest cells is worked out exactly iff it lies in the row space
of the shown cells (as vectors over the unknown finest cells), iff every vector of the null space vanishes on it.
Random null-space vectors test every candidate at once; a hit is confirmed, and its formula found, by writing the
sum as a combination of shown cells. protect() answers by hiding the smallest shown cell of that formula.
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
        """The shown cells that give the sum of ``finest`` (``None`` when they do not): the combination of
        shown margins, plus every shown finest cell whose coefficient does not cancel."""
        combo = self.basis.combination_of({self.column[f]: 1 for f in finest if f in self.column})
        if combo is None:
            return None
        rest: dict[int, int] = {}
        for f in finest:
            if f not in self.column:
                rest[f] = rest.get(f, 0) + 1
        for key, value in combo.items():
            for f in self.layout.members[key]:
                if f not in self.column:
                    rest[f] = (rest.get(f, 0) - value) % PRIME
        cells = set(combo)
        cells.update(self.layout.finest[f] for f, v in rest.items() if v % PRIME)
        return {k for k in cells if k not in self.hidden}


def attacks(layout: Layout, n: dict[Key, int], hidden: set[Key], minimum: int) -> Iterator[set[Key]]:
    """Each attack found, as the shown cells its formula uses."""
    yield from cell_attacks(layout, hidden)
    yield from group_attacks(layout, n, hidden, minimum)


def cell_attacks(layout: Layout, hidden: set[Key]) -> Iterator[set[Key]]:
    """Hidden cells the shown cells pin down (a random null vector summing to zero over a cell is the test;
    a cell that is not pinned down passes it only with probability 2**-61 per draw)."""
    system = _System(layout, hidden, [i for i, f in enumerate(layout.finest) if f in hidden])
    draws = system.draws(seed=0)
    column = system.column
    for key in sorted(hidden):
        columns = [column[f] for f in layout.members[key] if f in column]
        if any(sum(d[c] for c in columns) % PRIME for d in draws):
            continue
        cells = system.formula(layout.members[key])
        if cells is not None:
            yield cells


def group_attacks(layout: Layout, n: dict[Key, int], hidden: set[Key], minimum: int) -> Iterator[set[Key]]:
    """Groups of 1..minimum-1 respondents the shown cells pin down, for an attacker who knows the empty cells.

    Exact, no chance involved: ``residual`` is linear and vanishes exactly on the row space, so a group is
    pinned down iff its members' residuals add up to zero. The basis pivots on large cells wherever it can (then
    on the largest small ones); a small cell that is a free column has itself as residual. A pinned group is
    therefore some small *pivot* cells whose residuals add up to zero except on small free cells, where they
    leave -1: those cells complete the group. The search grows sets of pivot cells within the size budget,
    each step adding one that touches a column which must still change.
    """
    unknown = [i for i, f in enumerate(layout.finest) if f in hidden and n[f] > 0]
    size = {i: n[layout.finest[i]] for i in unknown}
    small = {i for i in unknown if size[i] < minimum}
    system = _System(layout, hidden, unknown, prefer={i: minimum - size[i] for i in small})
    column = system.column
    cell_of = {c: f for f, c in column.items()}
    basis = system.basis
    seeds = sorted(cell_of[p] for p in basis.pivot if cell_of[p] in small)
    residual = {i: basis.residual({column[i]: 1}) for i in seeds}
    minus_one = PRIME - 1
    fixable = {column[i]: size[i] for i in small if i not in seeds}  # small free cells: may join the group
    touching: dict[int, list[int]] = {}
    for i in seeds:
        for c in residual[i]:
            touching.setdefault(c, []).append(i)
    most = minimum - 1
    found: set[frozenset[int]] = set()
    visited: set[frozenset[int]] = set()

    def grow(group: frozenset[int], total: int, vector: dict[int, int]) -> None:
        visited.add(group)
        bad = [c for c, v in vector.items() if v != minus_one or c not in fixable]
        if not bad:
            if total + sum(fixable[c] for c in vector) <= most:
                found.add(group | {cell_of[c] for c in vector})
                return
            bad = list(vector)  # too many responses: a further pivot cell must cancel a free one
        room = most - total
        target = min(bad, key=lambda c: (len(touching.get(c, ())), c))
        for j in touching.get(target, ()):
            if j in group or size[j] > room or group | {j} in visited:
                continue
            merged = dict(vector)
            for c, v in residual[j].items():
                value = (merged.get(c, 0) + v) % PRIME
                if value:
                    merged[c] = value
                else:
                    del merged[c]
            grow(group | {j}, total + size[j], merged)

    for i in seeds:
        grow(frozenset((i,)), size[i], dict(residual[i]))
    for group in sorted(found, key=sorted):
        cells = system.formula(sorted(group))
        if cells is not None:
            yield cells


def zero_sum_groups(cells: list[int], size: dict[int, int], signature: dict[int, int],
                    most: int) -> Iterator[frozenset[int]]:
    """Every non-empty set of ``cells`` (sorted by size) with total size <= ``most`` whose signatures add up to
    zero modulo PRIME (and, rarely, a few sets that only do so by chance).

    Meet in the middle: a set of m cells is its ceil(m/2) smallest cells (for c of them at most
    c·most/(2c-1) responses) plus its floor(m/2) largest (at most most-c responses for c of them); both halves
    are among the subsets enumerated below, and one lookup of the opposite signature pairs them.
    """
    def limit(count: int) -> int:
        return max(count * most // (2 * count - 1), most - count)

    limits = [most] + [limit(c) for c in range(1, most + 1)]
    halves: dict[int, list[tuple[frozenset[int], int]]] = {0: [(frozenset(), 0)]}
    listed: list[tuple[int, frozenset[int], int]] = []

    def grow(start: int, chosen: tuple[int, ...], total: int, key: int) -> None:
        bound = limits[len(chosen) + 1] if len(chosen) < most else -1
        for j in range(start, len(cells)):
            i = cells[j]
            new_total = total + size[i]
            if new_total > bound:
                break  # sorted by size: the later cells are no smaller
            new_key = (key + signature[i]) % PRIME
            group = (*chosen, i)
            entry = (frozenset(group), new_total)
            halves.setdefault(new_key, []).append(entry)
            listed.append((new_key, *entry))
            grow(j + 1, group, new_total, new_key)

    grow(0, (), 0, 0)
    for key, group, total in listed:
        for other, other_total in halves.get(-key % PRIME, ()):
            if total + other_total <= most and not group & other:
                yield group | other
