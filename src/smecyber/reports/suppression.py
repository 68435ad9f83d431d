"""The small-group rule of every aggregate a coordinator sees.

A count or share over fewer than ``settings.AGGREGATE_MIN_GROUP`` SMEs is not shown (a group of one is a named
SME). A distribution hides each bucket below the minimum, and then keeps hiding the smallest shown bucket
until the hidden buckets cannot be worked out from the total: at least two are hidden and together they hold
at least the minimum. A share is the two-bucket distribution (with / without), so "all but two SMEs have X"
is hidden too. Empty buckets count as small: "none of our SMEs has X" says something about every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


def min_group() -> int:
    return int(settings.AGGREGATE_MIN_GROUP)


def suppress(counts: Mapping[str, int], total: int, minimum: int | None = None) -> dict[str, int | None]:
    """``counts`` with every bucket that must not be shown replaced by ``None``.

    ``total`` is the population the buckets split (shown beside them); below the minimum everything is hidden.
    """
    minimum = min_group() if minimum is None else minimum
    if total < minimum:
        return dict.fromkeys(counts)
    hidden = {k for k, v in counts.items() if v < minimum}
    shown = sorted((k for k in counts if k not in hidden), key=lambda k: (counts[k], k))
    while hidden and shown and (len(hidden) == 1 or sum(counts[k] for k in hidden) < minimum):
        hidden.add(shown.pop(0))
    return {k: (None if k in hidden else v) for k, v in counts.items()}


@dataclass(frozen=True, slots=True)
class Share:
    """``count`` of ``total`` have something; ``count`` is ``None`` when it must not be shown."""

    count: int | None
    total: int

    @property
    def hidden(self) -> bool:
        return self.count is None

    @property
    def ratio(self) -> float | None:
        if self.count is None or not self.total:
            return None
        return self.count / self.total


def share(count: int, total: int, minimum: int | None = None) -> Share:
    kept = suppress({"with": count, "without": total - count}, total, minimum)
    return Share(kept["with"], total)


def shown_count(value: int, minimum: int | None = None) -> int | None:
    """A head count, or ``None`` from 1 to below the minimum (zero says nothing about anyone)."""
    minimum = min_group() if minimum is None else minimum
    return value if value >= minimum or value == 0 else None
