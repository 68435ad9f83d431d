"""An attacker's check of everything a ProtectedCube publishes (used by the tests, not on the platform).

It is written independently of protect() (exact rationals, another formulation) so that each checks the other.

The attacker knows every shown cell (its ``n`` and every indicator count) and that each additive line holds
(a margin is the sum of its children). The hidden cells are the unknowns; each line gives one linear equation.
Exact rational Gaussian elimination (``fractions.Fraction``, no floating point) over each connected group of
hidden cells tells which unknowns the equations pin down: a hidden cell whose row in the reduced system has no
free unknown left is worked out exactly — for ``n`` and, with the same coefficients, for every indicator count.

Given the unprotected cube too (``source``), the audit also looks for any group of respondents an attacker can
name (a union of hidden finest cells, however odd: "neither SE nor sector C") whose size follows from the shown
cells and is 1..minimum-1, by an exhaustive search over the unions the shown cells can give.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

from .cube import ALL, Cube, Key, Line, cube_lines
from .protect import ProtectedCube


def disclosure_problems(protected: ProtectedCube, minimum: int, source: Cube | None = None) -> list[str]:
    """Every way the published figures give away a group of fewer than ``minimum`` responses or a hidden
    cell; an empty list when there is none. With ``source`` (the cube ``protected`` came from) the shown
    figures are compared with it and groups of respondents are searched as well."""
    problems: list[str] = []
    for key, (n, _) in protected.shown.items():
        if n < minimum:
            problems.append(f"{_name(key)} is shown with n={n} < {minimum}")
    lines = cube_lines(protected.universe)
    problems += _line_differences(protected, lines, minimum)
    problems += _determined_cells(protected, lines)
    problems += _nested_differences(protected, minimum)
    if source is not None:
        problems += _against_source(protected, source)
        problems += _pinned_groups(protected, source, minimum)
    return problems


def _name(key: Key) -> str:
    return "/".join(key)


def _values(protected: ProtectedCube, key: Key) -> tuple[int, ...]:
    """n and every indicator count of a shown cell, as one vector."""
    n, counts = protected.shown[key]
    return (n, *counts)


def _line_differences(protected: ProtectedCube, lines: list[Line], minimum: int) -> list[str]:
    """A shown parent minus its shown children is the total of the hidden children: it must not be a small
    group (0 included, as for the primary rule)."""
    problems = []
    for line in lines:
        if line.parent not in protected.shown:
            continue
        hidden = [c for c in line.children if c not in protected.shown]
        if not hidden:
            continue
        rest = protected.shown[line.parent][0] - sum(protected.shown[c][0] for c in line.children
                                                     if c in protected.shown)
        if rest < minimum:
            problems.append(f"{_name(line.parent)} minus its shown children leaves {rest} < {minimum} "
                            f"responses in {', '.join(map(_name, hidden))}")
    return problems


def _determined_cells(protected: ProtectedCube, lines: list[Line]) -> list[str]:
    hidden = protected.hidden
    width = 1 + len(protected.indicators)
    equations: list[tuple[dict[Key, int], list[int]]] = []
    for line in lines:
        coefficients: dict[Key, int] = {}
        constant = [0] * width  # the line as Σ coefficient·hidden = constant
        for key, sign in ((line.parent, 1), *((c, -1) for c in line.children)):
            if key in hidden:
                coefficients[key] = coefficients.get(key, 0) + sign
            else:
                for i, v in enumerate(_values(protected, key)):
                    constant[i] -= sign * v
        if coefficients:
            equations.append((coefficients, constant))
        elif any(constant):
            return [f"the shown figures of the line under {_name(line.parent)} do not add up"]
    problems = []
    for component in _components(equations):
        problems += _solve(component, protected, width)
    return problems


def _components(equations: list[tuple[dict[Key, int], list[int]]]) -> list[list[tuple[dict[Key, int], list[int]]]]:
    """Equations grouped by the hidden cells they share (elimination never mixes two groups)."""
    parent: dict[Key, Key] = {}

    def find(k: Key) -> Key:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for coefficients, _ in equations:
        first, *rest = coefficients
        for k in rest:
            parent[find(k)] = find(first)
    groups: dict[Key, list] = {}
    for equation in equations:
        groups.setdefault(find(next(iter(equation[0]))), []).append(equation)
    return list(groups.values())


def _solve(equations: list[tuple[dict[Key, int], list[int]]], protected: ProtectedCube, width: int) -> list[str]:
    """Reduced row echelon form over the rationals; a pivot row with no other unknown determines its cell."""
    unknowns = sorted({k for coefficients, _ in equations for k in coefficients})
    rows = [({k: Fraction(v) for k, v in c.items() if v}, [Fraction(v) for v in b]) for c, b in equations]
    pivots: list[tuple[Key, dict[Key, Fraction], list[Fraction]]] = []
    for column in unknowns:
        index = next((i for i, (c, _) in enumerate(rows) if c.get(column)), None)
        if index is None:
            continue
        c, b = rows.pop(index)
        scale = c[column]
        c = {k: v / scale for k, v in c.items()}
        b = [v / scale for v in b]
        for target in (*rows, *((pc, pb) for _, pc, pb in pivots)):
            tc, tb = target
            factor = tc.get(column)
            if not factor:
                continue
            for k, v in c.items():
                value = tc.get(k, 0) - factor * v
                if value:
                    tc[k] = value
                else:
                    tc.pop(k, None)
            for i in range(width):
                tb[i] -= factor * b[i]
        pivots.append((column, c, b))
    problems = []
    for c, b in rows:  # equations left without unknowns: the shown figures must agree
        if not c and any(b):
            problems.append("the shown figures do not add up along the lines")
    names = ("n", *protected.indicators)
    for column, c, b in pivots:
        if len(c) == 1:
            shown = ", ".join(f"{name}={value}" for name, value in zip(names, b, strict=True))
            problems.append(f"hidden {_name(column)} is worked out from the shown cells: {shown}")
    return problems


def _contains(outer: Key, inner: Key) -> bool:
    return all(o in (ALL, i) for o, i in zip(outer, inner, strict=True))


def _nested_differences(protected: ProtectedCube, minimum: int) -> list[str]:
    """Two queries, one inside the other ("all SMEs" and "all SMEs of SE" give "not SE"): the difference is a
    group too and must be empty or at least ``minimum``."""
    problems = []
    for inner, (n_inner, _) in protected.shown.items():
        for mask in product((False, True), repeat=3):
            outer = tuple(ALL if m else v for m, v in zip(mask, inner, strict=True))
            if outer == inner or outer not in protected.shown:
                continue
            rest = protected.shown[outer][0] - n_inner
            if 0 < rest < minimum:
                problems.append(f"{_name(outer)} minus {_name(inner)} leaves {rest} < {minimum} responses")
    return problems


def _against_source(protected: ProtectedCube, source: Cube) -> list[str]:
    problems = []
    for key, (n, counts) in protected.shown.items():
        if source.n[key] != n or source.counts[key] != counts:
            problems.append(f"{_name(key)} is published with other figures than the responses give")
    if set(protected.shown) | protected.hidden != set(source.n) or set(protected.shown) & protected.hidden:
        problems.append("the shown and hidden cells do not split the cube")
    return problems


def _pinned_groups(protected: ProtectedCube, source: Cube, minimum: int, budget: int = 400_000) -> list[str]:
    """Groups of 1..minimum-1 respondents (unions of hidden finest cells, empty ones included: the attacker does
    not know they are empty) whose size follows from the shown cells.

    Hidden finest cells inside exactly the same shown cells are interchangeable for the attacker (an *atom*):
    every group the shown cells give is a union of atoms. A union is given iff its indicator lies in the span of
    the shown cells; in reduced row echelon form a vector of the span is fixed by its pivot coordinates, so a
    depth-first search over 0/1 values of the pivot atoms, checking each other atom as soon as its value is
    settled, finds every such group within the size budget. ``budget`` caps the search (reported if reached).
    """
    hidden_finest = [k for k in source.n if ALL not in k and k in protected.hidden]
    atoms: dict[tuple[Key, ...], list[Key]] = {}
    for f in hidden_finest:
        atoms.setdefault(tuple(k for k in protected.shown if _contains(k, f)), []).append(f)
    members = list(atoms.values())
    size = [sum(source.n[f] for f in cells) for cells in members]
    column_of = {pattern: i for i, pattern in enumerate(atoms)}
    rows: dict[Key, dict[int, Fraction]] = {}
    for pattern, i in column_of.items():
        for key in pattern:
            rows.setdefault(key, {})[i] = Fraction(1)
    reduced = _rref(list(rows.values()))
    most = minimum - 1
    pivots = [p for p in reduced if size[p] < minimum]  # a large pivot atom is 0 in any small group
    pivots.sort(key=lambda p: (size[p] == 0, -size[p], p))
    free = [c for c in range(len(members)) if c not in reduced]
    touches: dict[int, list[tuple[int, Fraction]]] = {c: [] for c in free}
    for p in pivots:
        for c, v in reduced[p].items():
            if c != p:
                touches[c].append((p, v))
    order = {p: i for i, p in enumerate(pivots)}
    settles: dict[int, list[int]] = {}  # free atoms settled once the pivot at this position is chosen
    for c in free:
        last = max((order[p] for p, _ in touches[c]), default=-1)
        settles.setdefault(last, []).append(c)
    value = dict.fromkeys(free, Fraction(0))
    chosen: list[int] = []
    found: list[str] = []
    nodes = 0

    def settle(position: int, total: int) -> int | None:
        """Check the free atoms settled here: 0 or 1, large ones 0; the new total, or None when impossible."""
        for c in settles.get(position, ()):
            v = value[c]
            if v == 1:
                if size[c] >= minimum:
                    return None
                total += size[c]
            elif v != 0:
                return None
        return total if total <= most else None

    def search(position: int, total: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            return
        if position == len(pivots):
            if total >= 1:
                ones = [*chosen, *(c for c in free if value[c] == 1)]
                cells = sorted(f for i in ones for f in members[i])
                found.append(f"the group {', '.join(map(_name, cells))} of {total} < {minimum} responses is "
                             "worked out from the shown cells")
            return
        p = pivots[position]
        for bit in (0, 1):
            if bit:
                if total + size[p] > most:
                    continue
                for c, v in reduced[p].items():
                    if c != p:
                        value[c] += v
                chosen.append(p)
            after = settle(position, total + bit * size[p])
            if after is not None:
                search(position + 1, after)
            if bit:
                chosen.pop()
                for c, v in reduced[p].items():
                    if c != p:
                        value[c] -= v

    start_total = settle(-1, 0)  # free atoms no small pivot touches stay 0
    if start_total is not None:
        search(0, start_total)
    if nodes > budget:
        found.append(f"the search for small groups stopped after {budget} steps: the audit is incomplete")
    return found


def _rref(rows: list[dict[int, Fraction]]) -> dict[int, dict[int, Fraction]]:
    """Reduced row echelon form, exactly: pivot column -> row with 1 there and 0 in every other pivot column."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for row in rows:
        row = dict(row)
        for p, prow in pivots.items():
            factor = row.get(p)
            if factor:
                for c, v in prow.items():
                    value = row.get(c, 0) - factor * v
                    if value:
                        row[c] = value
                    else:
                        row.pop(c, None)
        if not row:
            continue
        p = min(row)
        scale = row[p]
        row = {c: v / scale for c, v in row.items()}
        for qrow in pivots.values():
            factor = qrow.get(p)
            if factor:
                for c, v in row.items():
                    value = qrow.get(c, 0) - factor * v
                    if value:
                        qrow[c] = value
                    else:
                        qrow.pop(c, None)
        pivots[p] = row
    return pivots
