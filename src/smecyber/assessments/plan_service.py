"""An SME's action plan, kept in ``ActionItem`` rows: recomputed from its answers and its scans, changed by people.

``refresh_plan`` runs when an assessment is submitted and after every finished scan (the task
``tasks.refresh_action_plan``). It reads

- the latest submitted assessment's profile and answers (none yet: a profile from the company's own fields
  and no answers), and
- the fail/warn findings of the latest finished scan of each of the company's domains,

asks ``methodology.plan.build_plan`` for the ranked items and stores them. What people set on an item (status,
reason, due date, owner) is theirs and survives every refresh; rank, priority, severity, effort, sources and
``checked_by_scans`` are the plan's. An item the plan no longer produces becomes inactive (a done item stays
done). A new item gets a suggested due date: SUGGESTED_DAYS below.

A scan also checks the done items it can check (``checked_by_scans``): a scan that began after the item was
marked done and still finds the problem reopens it (status "to do", ``reopened_at``, ``reopen_note``); a
scan that finished after it was marked done and finds only passing results for it confirms it
(``confirmed_at``) — unless the latest scan of another of the company's domains still finds the problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company, User
from smecyber.assets.models import Domain
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.methodology.plan import PlanFinding, PlanItem, build_plan, merge_key_for_finding
from smecyber.methodology.profile import Profile
from smecyber.reports.fixes import finding_text
from smecyber.reports.queries import latest_scan_ids
from smecyber.scans.models import Scan, ScanFinding
from smecyber.scans.queries import PROBLEM_STATUSES, latest_done_scan

from .models import ActionItem, Assessment

# Suggested due dates of new items, in days from the day they first appear, by rank: the first three
# within two weeks, the rest of the top ten within a month, everything else within a quarter.
SUGGESTED_DAYS = ((3, 14), (10, 30))
LATER_DAYS = 90
EARLIEST_DUE_DATE = dt.date(2000, 1, 1)
LATEST_DUE_DATE = dt.date(2100, 12, 31)
PASSING = ("pass",)


def suggested_due_date(rank: int, today: dt.date) -> dt.date:
    days = next((d for last, d in SUGGESTED_DAYS if rank <= last), LATER_DAYS)
    return today + dt.timedelta(days=days)


# --- inputs ---------------------------------------------------------------------------------------------------

def latest_submitted_assessment(company: Company) -> Assessment | None:
    return (Assessment.objects.filter(company=company, status=Assessment.Status.SUBMITTED)
            .order_by("-submitted_at", "-started_at").first())


def company_profile(company: Company) -> Profile:
    """What the company's own fields say, for an SME that has not submitted an assessment yet."""
    return Profile(country=company.country, sector=company.sector, size_band=company.size_band,
                   builds_software=company.builds_software)


def plan_inputs(company: Company) -> tuple[Profile, dict[str, str]]:
    assessment = latest_submitted_assessment(company)
    if assessment is None:
        return company_profile(company), {}
    answers = dict(assessment.answers.values_list("question", "value"))
    return Profile.from_dict(assessment.profile or {}), answers


def latest_findings(company: Company) -> list[PlanFinding]:
    """The fail/warn findings of the latest finished scan of each of the company's domains."""
    latest = dict(Domain.objects.filter(company=company).annotate(latest_done_id=latest_scan_ids(done_only=True))
                  .values_list("latest_done_id", "name"))
    latest.pop(None, None)
    rows = (ScanFinding.objects.filter(scan_id__in=list(latest), status__in=PROBLEM_STATUSES)
            .order_by("pk").values_list("scan_id", "key", "status", "severity"))
    return [PlanFinding(key, status, severity, latest[scan_id]) for scan_id, key, status, severity in rows]


# --- refresh --------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class ScanVerdict:
    """What one scan said about one plan item: its failing/warning findings, and whether something passed."""

    problems: list[str] = field(default_factory=list)  # finding keys
    passed: bool = False


def scan_verdicts(q: Questionnaire, scan: Scan) -> dict[str, ScanVerdict]:
    """Plan key -> what ``scan`` found for it (every finding, passing ones too, mapped to the item it belongs to)."""
    verdicts: dict[str, ScanVerdict] = {}
    for key, status in scan.findings.order_by("pk").values_list("key", "status"):
        if status not in PROBLEM_STATUSES and status not in PASSING:
            continue  # info explains, error says nothing about the problem
        verdict = verdicts.setdefault(merge_key_for_finding(q, key), ScanVerdict())
        if status in PROBLEM_STATUSES:
            if key not in verdict.problems:
                verdict.problems.append(key)
        else:
            verdict.passed = True
    return verdicts


def _sources(item: PlanItem) -> dict[str, Any]:
    return {"questions": [list(pair) for pair in item.questions], "findings": [list(f) for f in item.findings]}


def _computed(item: PlanItem, rank: int) -> dict[str, Any]:
    return {"rank": rank, "priority": round(float(item.priority), 4), "severity": item.severity,
            "effort": item.effort, "sources": _sources(item), "checked_by_scans": bool(item.checked_by_scans),
            "active": True}


def refresh_plan(company: Company, *, scan: Scan | None = None) -> None:
    """Recompute the company's action plan (see the module's docstring). ``scan``: a finished scan of one of
    its domains that may confirm or reopen done items."""
    q = load_questionnaire()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        # Two refreshes at once (an assessment submitted while a scan finishes) take turns: the company row is
        # the lock, and each reads its inputs only once it holds it, so the last one to commit saw everything.
        if Company.objects.select_for_update().filter(pk=company.pk).first() is None:
            return  # deleted meanwhile: nothing to plan for
        profile, answers = plan_inputs(company)
        items = build_plan(q, profile, answers, latest_findings(company))
        existing = {i.key: i for i in ActionItem.objects.select_for_update().filter(company=company)}
        # Only the domain's latest scan speaks for it (a late or repeated task about an older scan does not).
        if scan is not None and latest_done_scan(scan.domain) != scan:
            scan = None
        verdicts = scan_verdicts(q, scan) if scan is not None else {}
        produced: set[str] = set()
        to_create: list[ActionItem] = []
        for rank, plan_item in enumerate(items, start=1):
            produced.add(plan_item.key)
            values = _computed(plan_item, rank)
            row = existing.get(plan_item.key)
            if row is None:
                to_create.append(ActionItem(company=company, key=plan_item.key, status=ActionItem.Status.TODO,
                                            owner=plan_item.owner, due_date=suggested_due_date(rank, today),
                                            created_at=now, updated_at=now, **values))
                continue
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            # Still found by another domain's latest scan: this domain's clean scan does not confirm the fix.
            changed += _check_by_scan(row, scan, verdicts.get(row.key), now, still_found=bool(plan_item.findings))
            if changed:
                row.save(update_fields=sorted(set(changed)))
        for key, row in existing.items():
            if key in produced:
                continue
            changed = _check_by_scan(row, scan, verdicts.get(key), now)
            if row.active:
                row.active = False
                changed.append("active")
            if changed:
                row.save(update_fields=sorted(set(changed)))
        ActionItem.objects.bulk_create(to_create)


def _check_by_scan(row: ActionItem, scan: Scan | None, verdict: ScanVerdict | None, now: dt.datetime, *,
                   still_found: bool = False) -> list[str]:
    """Confirm or reopen a done item the scan could check; the fields changed. ``still_found``: the latest scan
    of another of the company's domains still finds the problem, so nothing confirms it yet."""
    if scan is None or verdict is None or row.status != ActionItem.Status.DONE or not row.checked_by_scans:
        return []
    finished = scan.finished_at or now
    began = scan.started_at or finished
    if verdict.problems:
        # Only a scan that began after the item was marked done speaks about the fix.
        if row.done_at is not None and began <= row.done_at:
            return []
        row.status = ActionItem.Status.TODO
        row.done_at = None
        row.confirmed_at = None
        row.reopened_at = now
        row.reopen_note = reopen_note(scan, verdict.problems)
        return ["status", "done_at", "confirmed_at", "reopened_at", "reopen_note"]
    if verdict.passed and not still_found and (row.done_at is None or finished > row.done_at) \
            and row.confirmed_at != finished:
        row.confirmed_at = finished
        return ["confirmed_at"]
    return []


def reopen_note(scan: Scan, finding_keys: Iterable[str]) -> str:
    """What reopened the item, in English (the record; pages show the finding titles in the reader's language)."""
    titles = "; ".join(dict.fromkeys(finding_text(key, "en").title for key in finding_keys))
    when = timezone.localtime(scan.finished_at or timezone.now()).date().isoformat()
    return f"The scan of {scan.domain.name} on {when} still found: {titles}"


# --- changes by people ----------------------------------------------------------------------------------------

class ItemChangeError(ValueError):
    """A change a person asked for that breaks a rule: field name -> message (in the request's language)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


UNSET: Any = object()


def change_problems(*, status: str, status_reason: str, due_date: dt.date | None, owner: str) -> dict[str, str]:
    """The rules every change follows, from the web form and the API alike."""
    errors: dict[str, str] = {}
    if status not in ActionItem.Status.values:
        errors["status"] = _("Choose one of: to do, doing, done, risk accepted.")
    if owner not in ActionItem.Owner.values:
        errors["owner"] = _("Choose who should do it: your company, your IT provider or your web host.")
    if status == ActionItem.Status.ACCEPTED and not status_reason.strip():
        errors["status_reason"] = _("Say why you accept this risk: a reason is required.")
    if len(status_reason) > 2000:
        errors["status_reason"] = _("Keep the reason under 2,000 characters.")
    elif "\x00" in status_reason:  # PostgreSQL refuses it in text (the web form's field refuses it too)
        errors["status_reason"] = _("Null characters are not allowed.")
    if due_date is not None and not EARLIEST_DUE_DATE <= due_date <= LATEST_DUE_DATE:
        errors["due_date"] = _("Enter a due date between the years 2000 and 2100.")
    return errors


def update_item(item: ActionItem, user: User | None, *, status: str = UNSET, status_reason: str = UNSET,
                due_date: dt.date | None = UNSET, owner: str = UNSET) -> list[str]:
    """Apply a person's change (fields left UNSET keep their value); the fields changed.

    Raises ItemChangeError. Marking an item done records when; moving it away from done forgets the done and
    confirmation times (a later "done" starts over).
    """
    new = {
        "status": item.status if status is UNSET else status,
        "status_reason": item.status_reason if status_reason is UNSET else (status_reason or "").strip(),
        "due_date": item.due_date if due_date is UNSET else due_date,
        "owner": item.owner if owner is UNSET else owner,
    }
    errors = change_problems(**new)
    if errors:
        raise ItemChangeError(errors)
    changed = [name for name, value in new.items() if getattr(item, name) != value]
    if not changed:
        return []
    now = timezone.now()
    if "status" in changed:
        if new["status"] == ActionItem.Status.DONE:
            item.done_at = now
            item.confirmed_at = None
        elif item.status == ActionItem.Status.DONE:
            item.done_at = None
            item.confirmed_at = None
        changed += ["done_at", "confirmed_at"]
    for name, value in new.items():
        setattr(item, name, value)
    item.updated_at = now
    item.updated_by = user if user is not None and user.is_authenticated else None
    item.save(update_fields=sorted({*changed, "updated_at", "updated_by"}))
    return changed
