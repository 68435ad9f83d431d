"""What a coordinator sees of a batch: progress and counts over all its domains, never a domain's own result.

The small-group rule is the one of every coordinator aggregate (``smecyber.reports.suppression``): a bucket
below AGGREGATE_MIN_GROUP domains is hidden, and so are as many others as needed that the hidden ones cannot
be worked out from the total; a share is a two-bucket distribution.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count

from smecyber.checks.scoring import GRADE_SCALE
from smecyber.reports.suppression import suppress

from .models import Batch, BatchEntry, ScanStatus

DMARC_ORDER = ("reject", "quarantine", "none", "missing", "unknown")


@dataclass(frozen=True, slots=True)
class Cell:
    """One count as it may be shown: the number, or only that it is below the minimum group size."""

    count: int
    suppressed: bool


@dataclass(frozen=True, slots=True)
class Share:
    yes: Cell
    total: int
    percent: int | None  # None: too few domains to show a share


def _cells(counts: dict[str, int], minimum: int) -> list[tuple[str, Cell]]:
    kept = suppress(counts, sum(counts.values()), minimum)
    return [(key, Cell(count, kept[key] is None)) for key, count in counts.items()]


def batch_progress(batch: Batch) -> dict[str, int]:
    by_status = dict(BatchEntry.objects.filter(batch=batch).values_list("status").annotate(n=Count("pk")))
    total = sum(by_status.values())
    done = by_status.get(ScanStatus.DONE, 0)
    failed = by_status.get(ScanStatus.FAILED, 0)
    return {"total": total, "done": done, "failed": failed, "waiting": total - done - failed,
            "percent": round(100 * (done + failed) / total) if total else 100}


def batch_aggregates(batch: Batch) -> dict[str, Any]:
    minimum = settings.AGGREGATE_MIN_GROUP
    letters: Counter[str] = Counter()
    dmarc: Counter[str] = Counter()
    https: list[bool] = []
    hsts: list[bool] = []
    for grades, facts in BatchEntry.objects.filter(batch=batch, status=ScanStatus.DONE).values_list(
            "grades", "facts").iterator(chunk_size=2000):
        letter = ((grades or {}).get("overall") or {}).get("letter")
        if letter:
            letters[str(letter)] += 1
        facts = facts or {}
        dmarc[str(facts.get("dmarc_policy") or "unknown")] += 1
        if isinstance(facts.get("https"), bool):
            https.append(facts["https"])
        if isinstance(facts.get("hsts"), bool):
            hsts.append(facts["hsts"])
    scale = [letter for _minimum, letter in GRADE_SCALE]
    return {
        "minimum": minimum,
        "graded": sum(letters.values()),
        "letters": _cells({letter: letters[letter] for letter in scale if letters[letter]}, minimum),
        "dmarc": _cells({policy: dmarc[policy] for policy in DMARC_ORDER if dmarc[policy]}, minimum),
        "https": _share(https, minimum),
        "hsts": _share(hsts, minimum),
    }


def _share(values: list[bool], minimum: int) -> Share:
    total = len(values)
    yes = sum(values)
    kept = suppress({"yes": yes, "no": total - yes}, total, minimum)
    hidden = kept["yes"] is None
    percent = None if hidden or not total else round(100 * yes / total)
    return Share(Cell(yes, hidden), total, percent)
