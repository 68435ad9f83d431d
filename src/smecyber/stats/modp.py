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
        self.redundant: list[tuple[Hashable, list[tuple[int, int]]]] = []  # input = Σ factor·row_k

    def _reduce(self, vector: Vector, log: list[tuple[int, int]] | None) -> Vector:
        vector = dict(vector)
        get = vector.get
        rows, pivot, row_of = self.rows, self.pivot, self.row_of
        queue = [row_of[c] for c in vector if c in row_of]
        heapq.heapify(queue)
        # Rows are cleared in insertion order: row i holds only later rows' pivots, so once row i is done its
        # pivot never comes back, and a row queued twice is found already cleared the second time. Entries
        # are reduced modulo PRIME only when used and at the end (Python integers do not overflow).
        while queue:
            i = heapq.heappop(queue)
            p = pivot[i]
            factor = vector.pop(p, 0) % PRIME
            if not factor:
                continue
            if log is not None:
                log.append((i, factor))
            for c, v in rows[i].items():
                if c == p:
                    continue  # cleared: the row has 1 there
                old = get(c)
                if old is None:
                    vector[c] = -factor * v
                    j = row_of.get(c)
                    if j is not None:
                        heapq.heappush(queue, j)
                else:
                    vector[c] = old - factor * v
        return {c: v % PRIME for c, v in vector.items() if v % PRIME}

    def add(self, vector: Vector, label: Hashable, rank: Callable[[int], Any] | None = None) -> None:
        """Add a row; its pivot is the column of least ``rank`` left after reduction (default: the first)."""
        log: list[tuple[int, int]] = []
        rest = self._reduce(vector, log)
        if not rest:
            self.redundant.append((label, log))
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

    def pivot_residuals(self, rows: list[int]) -> dict[int, Vector]:
        """``residual(e_p)`` for the pivot column p of each of ``rows`` by back substitution: a row's pivot is
        minus the rest of the row, whose later pivots are resolved first (memoised; a pivot outside ``rows`` is
        reduced directly)."""
        memo: dict[int, Vector] = {}
        for i in sorted(rows, reverse=True):
            p = self.pivot[i]
            result: dict[int, int] = {}
            get = result.get
            for c, v in self.rows[i].items():
                if c == p:
                    continue
                if c in self.row_of:
                    part = memo.get(c)
                    if part is None:
                        part = memo[c] = self._reduce({c: 1}, None)
                    for d, w in part.items():
                        result[d] = get(d, 0) - v * w  # reduced once at the end
                else:
                    result[c] = get(c, 0) - v
            memo[p] = {d: w % PRIME for d, w in result.items() if w % PRIME}
        return {self.pivot[i]: memo[self.pivot[i]] for i in rows}

    def _labels(self, weights: dict[int, int], into: Combination) -> Combination:
        """Add the input rows behind ``Σ weight·row_i`` to ``into``: each row is its input minus earlier rows,
        so weights flow from the last row down to the first."""
        weights = {i: w for i, w in weights.items() if w % PRIME}
        queue = [-i for i in weights]
        heapq.heapify(queue)
        while queue:
            i = -heapq.heappop(queue)
            w = weights.pop(i, 0) % PRIME
            if not w:
                continue
            inverse, log = self.steps[i]
            w = w * inverse % PRIME
            into[self.labels[i]] = (into.get(self.labels[i], 0) + w) % PRIME
            for k, factor in log:
                if k not in weights:
                    heapq.heappush(queue, -k)
                weights[k] = (weights.get(k, 0) - w * factor) % PRIME
        return into

    def combination_of(self, vector: Vector) -> Combination | None:
        """The labelled input rows whose combination is ``vector`` (``None`` when it is not in the row space)."""
        log: list[tuple[int, int]] = []
        if self._reduce(vector, log):
            return None
        weights: dict[int, int] = {}
        for i, factor in log:
            weights[i] = (weights.get(i, 0) + factor) % PRIME
        return {label: v for label, v in self._labels(weights, {}).items() if v}

    def dependency(self, rng: random.Random) -> Combination:
        """A random combination of input rows that adds up to zero (zero on a label only if every such
        combination is, or with probability 2**-61): a label outside it cannot be replaced by the others."""
        weights: dict[int, int] = {}
        labels: Combination = {}
        for label, log in self.redundant:
            r = rng.randrange(1, PRIME)
            labels[label] = (labels.get(label, 0) + r) % PRIME
            for k, factor in log:
                weights[k] = (weights.get(k, 0) - r * factor) % PRIME
        return {label: v for label, v in self._labels(weights, labels).items() if v}
