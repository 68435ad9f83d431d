"""Numbers, percentages and dates in the reader's language (the active Django language)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext


def count(value: int) -> str:
    return formats.number_format(value, 0, force_grouping=True)


def percent(share: float) -> str:
    """``share`` (0..1) as a whole percentage, e.g. "45%" in English, "45 %" in Swedish."""
    number = formats.number_format(round(share * 100), 0, force_grouping=True)
    # Translators: a percentage; keep %(number)s and write the percent sign as %%, e.g. "%(number)s %%".
    return pgettext("percentage", "%(number)s%%") % {"number": number}


def day(value: date | datetime) -> str:
    """A date such as 2025-03-05 (Swedish) or 03/05/2025 (English); datetimes in the site's time zone."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def month(value: date | datetime) -> str:
    """An abbreviated month and year, e.g. "Mar 2025"."""
    return formats.date_format(value, "M Y")
