"""Reading stored scans: the latest, the one before, and what changed between two of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from smecyber.assets.models import Domain
from smecyber.checks.engine import ENGINE_CHECK_ID

from .models import Scan, ScanFinding, ScanStatus

# What counts as a problem in a diff: warnings and failures. "info" explains, "pass" is fine, and "error"
# (a check that could not complete) says nothing about whether the problem is still there.
PROBLEM_STATUSES = ("fail", "warn")


@dataclass(slots=True)
class ScanDiff:
    new: list[ScanFinding] = field(default_factory=list)  # problems of the new scan the old one did not have
    fixed: list[ScanFinding] = field(default_factory=list)  # problems of the old scan gone from the new one
    unchanged: list[ScanFinding] = field(default_factory=list)  # problems of the new scan also in the old


def latest_done_scan(domain: Domain) -> Scan | None:
    return Scan.objects.filter(domain=domain, status=ScanStatus.DONE).order_by("-created_at").first()


def previous_done_scan(scan: Scan) -> Scan | None:
    return (Scan.objects.filter(domain_id=scan.domain_id, status=ScanStatus.DONE, created_at__lt=scan.created_at)
            .order_by("-created_at").first())


def problems(scan: Scan) -> list[ScanFinding]:
    return list(scan.findings.filter(status__in=PROBLEM_STATUSES).order_by("check_id", "subject", "key"))


def diff(old_scan: Scan | None, new_scan: Scan) -> ScanDiff:
    """Problems new, fixed and unchanged between two scans of a domain (identity: check, key, subject).

    Without an old scan every problem is new. A problem of the old scan whose check could not complete in
    the new one is neither fixed nor unchanged: nobody knows.
    """
    new_problems = problems(new_scan)
    if old_scan is None:
        return ScanDiff(new=new_problems)
    old_problems = problems(old_scan)
    old_ids = {f.identity for f in old_problems}
    new_ids = {f.identity for f in new_problems}
    unknown_checks = set(new_scan.findings.filter(status="error").values_list("check_id", flat=True))
    fixed = [f for f in old_problems if f.identity not in new_ids and f.check_id not in unknown_checks]
    if ENGINE_CHECK_ID in unknown_checks:  # the domain could not be scanned at all (e.g. it no longer exists)
        fixed = []
    return ScanDiff(
        new=[f for f in new_problems if f.identity not in old_ids],
        fixed=fixed,
        unchanged=[f for f in new_problems if f.identity in old_ids],
    )


def change_counts(scans: list[Scan]) -> dict[object, tuple[int, int] | None]:
    """For each done scan of one domain: (new, fixed) problem counts against the done scan before it, None
    for the first. One query for all the findings involved (the history table shows many scans)."""
    if not scans:
        return {}
    done = list(Scan.objects.filter(domain_id=scans[0].domain_id, status=ScanStatus.DONE,
                                    created_at__gte=min(s.created_at for s in scans))
                .order_by("created_at"))
    earlier = Scan.objects.filter(domain_id=scans[0].domain_id, status=ScanStatus.DONE,
                                  created_at__lt=done[0].created_at).order_by("-created_at").first() if done else None
    chain = ([earlier] if earlier else []) + done
    rows = ScanFinding.objects.filter(scan__in=chain, status__in=(*PROBLEM_STATUSES, "error")).values_list(
        "scan_id", "check_id", "key", "subject", "status")
    found: dict[object, set[tuple[str, str, str]]] = {s.pk: set() for s in chain}
    errors: dict[object, set[str]] = {s.pk: set() for s in chain}
    for scan_id, check_id, key, subject, status in rows:
        if status == "error":
            errors[scan_id].add(check_id)
        else:
            found[scan_id].add((check_id, key, subject))
    out: dict[object, tuple[int, int] | None] = {}
    for i, scan in enumerate(chain):
        if i == 0:
            out[scan.pk] = None
            continue
        old, new = found[chain[i - 1].pk], found[scan.pk]
        fixed = 0 if ENGINE_CHECK_ID in errors[scan.pk] else len(
            [x for x in old - new if x[0] not in errors[scan.pk]])
        out[scan.pk] = (len(new - old), fixed)
    return out
