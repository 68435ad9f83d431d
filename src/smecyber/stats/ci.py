"""Confidence interval of a share: the Wilson score interval.

Wilson rather than the textbook normal interval (p ± z·√(p(1-p)/n)) because survey groups are small and shares
are often near 0 % or 100 %: the normal interval then collapses to a width of zero ("0 of 10 → 0..0 %") or runs
past 100 %, while Wilson stays inside 0..100 % and keeps a sensible width (0 of 10 → 0..27.8 %).
"""

from __future__ import annotations

import math

Z95 = 1.959964  # two-sided 95 % quantile of the standard normal distribution


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The interval of the share ``count / n`` as ``(low, high)`` in percent (0..100)."""
    if n <= 0:
        raise ValueError("a share needs at least one response")
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is outside 0..{n}")
    p = count / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return 100 * low, 100 * high
