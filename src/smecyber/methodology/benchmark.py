"""The peer benchmark: where an SME's overall maturity stands among SMEs of the same size band, sector and
country, shown only when the group is big enough that no single company can be recognised in it.

The group's scores include the SME's own. The percentile is the mid-rank:

    percentile = 100 * (below + 0.5 * equal) / n      rounded half up

so the best of five distinct scores is at 90, the worst at 10, and five equal scores are all at 50.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .maturity import round_half_up

MINIMUM_GROUP = 5

SHOWN = "benchmark.shown"
TOO_FEW = "benchmark.too_few"
NO_SCORE = "benchmark.no_score"
NO_DATA = "benchmark.no_data"  # no peer data at all (``smecyber assess`` works offline)


@dataclass(frozen=True, slots=True)
class Benchmark:
    shown: bool
    percentile: int | None
    group_size: int
    minimum: int
    reason: str  # a texts.yaml key; params: reason_params()

    def reason_params(self) -> dict[str, str]:
        return {"count": str(self.group_size), "minimum": str(self.minimum)}


def benchmark(score: float | None, group_scores: Sequence[float], minimum: int = MINIMUM_GROUP) -> Benchmark:
    n = len(group_scores)
    if score is None:
        return Benchmark(False, None, n, minimum, NO_SCORE)
    if n < minimum or n == 0:
        return Benchmark(False, None, n, minimum, TOO_FEW)
    below = sum(1 for s in group_scores if s < score)
    equal = sum(1 for s in group_scores if s == score)
    percentile = int(round_half_up(100 * (below + 0.5 * equal) / n))
    return Benchmark(True, percentile, n, minimum, SHOWN)


def no_data(minimum: int = MINIMUM_GROUP) -> Benchmark:
    return Benchmark(False, None, 0, minimum, NO_DATA)
