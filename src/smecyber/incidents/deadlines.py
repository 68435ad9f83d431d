"""The reporting clocks an incident starts. Guidance, not legal advice.

NIS2 (Directive (EU) 2022/2555) Art. 23(4), for entities in its scope, counted from becoming aware of a
significant incident: (a) an early warning within 24 hours; (b) an incident notification within 72 hours;
(d) a final report no later than one month after the incident notification.
GDPR (Regulation (EU) 2016/679) Art. 33(1): a personal data breach is notified to the data protection
authority without undue delay and, where feasible, not later than 72 hours after becoming aware of it.

The rules implemented here:
- hours are real elapsed time (UTC arithmetic): across a change to or from summer time the wall clock of the
  deadline moves by one hour (aware 10:00 the day before the spring change -> early warning 11:00);
- "one month" is a calendar month in the reader's time zone, counted from the latest allowed notification
  (72 hours after becoming aware): the same wall-clock time on the same day of the next month, or on the
  month's last day when that day does not exist (31 January -> 28/29 February). A wall-clock time that does not
  exist that day (the spring change's missing hour) is read with the offset before the change, i.e. one hour
  later on the clock; an ambiguous one (the autumn change's repeated hour) is its first, earlier occurrence.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

EARLY_WARNING = timedelta(hours=24)
NOTIFICATION = timedelta(hours=72)
GDPR_NOTIFICATION = timedelta(hours=72)

NIS2_EARLY_WARNING = "nis2_early_warning"
NIS2_NOTIFICATION = "nis2_notification"
NIS2_FINAL_REPORT = "nis2_final_report"
GDPR_BREACH = "gdpr_notification"


@dataclass(frozen=True, slots=True)
class Deadline:
    key: str  # one of the constants above
    due: datetime  # aware, in UTC

    def overdue(self, now: datetime) -> bool:
        """Past the deadline; exactly at it is still in time."""
        return now > self.due

    def remaining(self, now: datetime) -> timedelta:
        """Time left (negative when overdue)."""
        return self.due - now


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("an aware datetime is needed: the clock cannot guess a time zone")


def add_calendar_month(when: datetime, tz: tzinfo) -> datetime:
    """``when`` plus one calendar month on the wall clock of ``tz``, as UTC (rules in the module text)."""
    _require_aware(when)
    local = when.astimezone(tz)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    # fold=0: a missing wall time takes the offset before the change, a repeated one its first occurrence
    return local.replace(year=year, month=month, day=day, fold=0).astimezone(UTC)


def aware_at(occurred_at: datetime, detected_at: datetime | None) -> datetime:
    """When the company became aware: when it noticed the incident, else when it happened."""
    return detected_at or occurred_at


def nis2_clock(aware: datetime, tz: tzinfo) -> tuple[Deadline, Deadline, Deadline]:
    """Early warning (+24 h), incident notification (+72 h), final report (+1 month after the notification
    deadline, in ``tz``)."""
    _require_aware(aware)
    start = aware.astimezone(UTC)
    notification = start + NOTIFICATION
    return (
        Deadline(NIS2_EARLY_WARNING, start + EARLY_WARNING),
        Deadline(NIS2_NOTIFICATION, notification),
        Deadline(NIS2_FINAL_REPORT, add_calendar_month(notification, tz)),
    )


def gdpr_deadline(aware: datetime) -> Deadline:
    _require_aware(aware)
    return Deadline(GDPR_BREACH, aware.astimezone(UTC) + GDPR_NOTIFICATION)
