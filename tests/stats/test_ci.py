"""Wilson score interval against published values (e.g. Newcombe 1998, Table I; Brown, Cai & DasGupta 2001)."""

from __future__ import annotations

import pytest

from smecyber.stats import wilson


@pytest.mark.parametrize(("count", "n", "low", "high"), [
    (50, 100, 40.38, 59.62),
    (0, 10, 0.0, 27.75),
    (10, 10, 72.25, 100.0),
    (81, 263, 25.53, 36.62),  # Newcombe (1998) table I: 0.2553..0.3662
    (15, 148, 6.24, 16.05),  # 0.0624..0.1605
    (0, 20, 0.0, 16.11),  # 0..0.1611
    (1, 29, 0.61, 17.18),  # 0.0061..0.1718
])
def test_known_values(count: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson(count, n)
    assert got_low == pytest.approx(low, abs=0.01)
    assert got_high == pytest.approx(high, abs=0.01)


def test_interval_holds_the_share_and_stays_in_range() -> None:
    for n in (1, 2, 5, 9, 40, 1000):
        for count in range(n + 1):
            low, high = wilson(count, n)
            assert 0.0 <= low <= 100 * count / n <= high <= 100.0


def test_symmetric_around_a_half() -> None:
    low, high = wilson(3, 9)
    mirror_low, mirror_high = wilson(6, 9)
    assert low == pytest.approx(100 - mirror_high)
    assert high == pytest.approx(100 - mirror_low)


def test_wider_for_smaller_groups_and_for_more_confidence() -> None:
    assert (lambda lo, hi: hi - lo)(*wilson(5, 10)) > (lambda lo, hi: hi - lo)(*wilson(50, 100))
    assert (lambda lo, hi: hi - lo)(*wilson(5, 10, z=2.575829)) > (lambda lo, hi: hi - lo)(*wilson(5, 10))


@pytest.mark.parametrize(("count", "n"), [(0, 0), (-1, 5), (6, 5)])
def test_impossible_shares_are_refused(count: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson(count, n)
