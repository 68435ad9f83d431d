"""Sparse linear algebra modulo a large prime, fast enough for protect() on every request of a big cube.

Used to find every combination of shown cells that pins down something hidden. Working modulo the Mersenne prime
2**61 - 1 instead of over the rationals keeps numbers small; the coefficients of the cube's relations are 0 and
±1, so a combination that exists over the rationals exists modulo the prime too, and a random vector of the null
space is zero on a functional only if that functional is in the row space (or, with probability 2**-61 per
test, by chance — which can only hide one cell too many, never show one too many).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Hashable
from typing import Any

PRIME = (1 << 61) - 1

Vector = dict[int, int]
Combination = dict[Hashable, int]


class Basis:
    """An echelon basis of row vectors, built one row at a time. Row i holds no pivot column of a row before
    it (back substitution order). Each row keeps the log of its reduction, so the input rows (by label) behind
    any combination can be recovered when needed, at no cost when not."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.rows: list[Vector] = []
        self.pivot: list[int] = []
        self.row_of: dict[int, int] = {}
        self.labels: list[Hashable] = []
        self.steps: list[tuple[int, list[tuple[int, int]]]] = []  # row = inverse·(input - Σ factor·row_k)

    def _reduce(self, vector: Vector, log: list[tuple[int, int]] | None) -> Vector:
        vector = dict(vector)
        rows, pivot, row_of = self.rows, self.pivot, self.row_of
        queue = [row_of[c] for c in vector if c in row_of]
        heapq.heapify(queue)
        done = set()
        while queue:
            i = heapq.heappop(queue)
            if i in done:
                continue
            done.add(i)
            factor = vector.get(pivot[i])
            if not factor:
                continue
            if log is not None:
                log.append((i, factor))
            for c, v in rows[i].items():
                old = vector.get(c)
                if old is None:
                    vector[c] = -factor * v % PRIME
                    j = row_of.get(c)
                    if j is not None and j not in done:
                        heapq.heappush(queue, j)
                else:
                    value = (old - factor * v) % PRIME
                    if value:
                        vector[c] = value
                    else:
                        del vector[c]
        return vector

    def add(self, vector: Vector, label: Hashable, rank: Callable[[int], Any] | None = None) -> None:
        """Add a row; its pivot is the column of least ``rank`` left after reduction (default: the first)."""
        log: list[tuple[int, int]] = []
        rest = self._reduce(vector, log)
        if not rest:
            return
        column = min(rest, key=rank) if rank is not None else min(rest)
        inverse = pow(rest[column], PRIME - 2, PRIME)
        self.row_of[column] = len(self.rows)
        self.pivot.append(column)
        self.rows.append({c: v * inverse % PRIME for c, v in rest.items()})
        self.labels.append(label)
        self.steps.append((inverse, log))

    def null_vector(self, rng: random.Random) -> list[int]:
        """A random vector orthogonal to every row."""
        values = [rng.randrange(PRIME) for _ in range(self.columns)]
        for i in range(len(self.rows) - 1, -1, -1):
            p = self.pivot[i]
            total = 0
            for c, v in self.rows[i].items():
                if c != p:
                    total += v * values[c]
            values[p] = -total % PRIME
        return values

    def residual(self, vector: Vector) -> Vector:
        """``vector`` modulo the row space, as its unique representative with no pivot column: linear in
        ``vector``, and empty exactly when ``vector`` is a combination of the rows."""
        return self._reduce(vector, None)

    def combination_of(self, vector: Vector) -> Combination | None:
        """The labelled input rows whose combination is ``vector`` (``None`` when it is not in the row space)."""
        log: list[tuple[int, int]] = []
        if self._reduce(vector, log):
            return None
        needed = {i for i, _ in log}
        stack = list(needed)
        while stack:
            for k, _ in self.steps[stack.pop()][1]:
                if k not in needed:
                    needed.add(k)
                    stack.append(k)
        combos: dict[int, Combination] = {}
        for i in sorted(needed):  # a row's log only names earlier rows
            inverse, steps = self.steps[i]
            combo = {self.labels[i]: 1}
            for k, factor in steps:
                for label, v in combos[k].items():
                    combo[label] = (combo.get(label, 0) - factor * v) % PRIME
            combos[i] = {label: v * inverse % PRIME for label, v in combo.items() if v % PRIME}
        result: Combination = {}
        for i, factor in log:
            for label, v in combos[i].items():
                result[label] = (result.get(label, 0) + factor * v) % PRIME
        return {label: v for label, v in result.items() if v}
