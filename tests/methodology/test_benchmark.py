"""The peer benchmark: hidden below the minimum group size, mid-rank percentile with ties."""

from __future__ import annotations

from smecyber.methodology.benchmark import benchmark, no_data
from smecyber.methodology.texts import text


def test_four_is_hidden_five_is_shown() -> None:
    hidden = benchmark(2.0, [1.0, 2.0, 3.0, 2.5], minimum=5)
    assert not hidden.shown and hidden.percentile is None
    assert hidden.reason == "benchmark.too_few" and hidden.group_size == 4
    message = text(hidden.reason, "en", **hidden.reason_params())
    assert "4 of the 5 needed" in message and "no company can be recognised" in message
    shown = benchmark(2.0, [1.0, 2.0, 3.0, 2.5, 0.5], minimum=5)
    assert shown.shown and shown.reason == "benchmark.shown" and shown.group_size == 5
    assert "group size: 5" in text(shown.reason, "en", **shown.reason_params())


def test_percentile_is_mid_rank() -> None:
    group = [0.5, 1.0, 2.0, 3.0, 3.5]
    assert benchmark(3.5, group, 5).percentile == 90  # (4 + 0.5) / 5
    assert benchmark(0.5, group, 5).percentile == 10
    assert benchmark(2.0, group, 5).percentile == 50


def test_ties_count_half() -> None:
    assert benchmark(2.0, [2.0] * 5, 5).percentile == 50
    # below 1, equal 2, n 6: (1 + 1) / 6 = 33.3 -> 33
    assert benchmark(2.0, [1.0, 2.0, 2.0, 3.0, 3.0, 4.0], 5).percentile == 33
    # below 2, equal 1, n 8: 2.5 / 8 = 31.25 -> 31; below 3, equal 1: 3.5 / 8 = 43.75 -> 44
    group = [0.0, 1.0, 2.0, 3.0, 3.1, 3.2, 3.3, 3.4]
    assert benchmark(2.0, group, 5).percentile == 31
    assert benchmark(3.0, group, 5).percentile == 44
    assert benchmark(1.0, [0.0, 1.0, 5, 5, 5, 5, 5, 5], 5).percentile == 19  # (1 + 0.5) / 8 = 18.75
    assert benchmark(0.0, [0.0, 1, 1, 1], 2).percentile == 13  # 0.5 / 4 = 12.5: half rounds up


def test_no_score_and_no_data() -> None:
    b = benchmark(None, [1.0] * 10, 5)
    assert not b.shown and b.reason == "benchmark.no_score"
    assert no_data().reason == "benchmark.no_data" and not no_data().shown
    assert text("benchmark.no_data", "lv")
