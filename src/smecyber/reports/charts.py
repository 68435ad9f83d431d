"""Charts as server-side SVG: no JavaScript, no ``style=`` (the CSP forbids inline styles), only SVG
presentation attributes such as ``fill=`` and ``stroke=``.

Every chart carries a ``<title>`` and ``<desc>`` (``role="img"``, ``aria-labelledby``) and comes with the
rows of a table alternative built from the same numbers, so a screen reader, a printout and a sighted reader
get the same facts. Colour is never the only signal: series also differ by marker shape and dash pattern and
are named in a legend; every bar carries its value as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import formatting

FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#c8c8c8"
# Dark enough for 3:1 contrast on white (WCAG 1.4.11, graphical objects).
SERIES_COLOURS = ("#1f5fa8", "#a8431f", "#2e7d32", "#6a1b9a", "#37474f", "#8a6d00")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "4 4")
MARKERS = ("circle", "square", "triangle", "diamond")
# Grade letters: the colours of app.css's .grade-* badges; the letter is always written beside the bar.
GRADE_COLOURS = {"A": "#1b5e20", "B": "#33691e", "C": "#8a6d00", "D": "#a84300", "F": "#b71c1c"}
NEUTRAL_COLOUR = "#1f5fa8"


@dataclass(frozen=True, slots=True)
class Point:
    when: date | datetime
    value: float | None  # None: no value to draw (e.g. hidden to protect privacy); the table says why
    label: str  # the value as the table and the chart write it


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    points: Sequence[Point]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None  # None: no bar (hidden); ``display`` says why
    display: str
    colour: str = NEUTRAL_COLOUR


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart and its table alternative (same numbers, as text)."""

    id: str
    title: str
    description: str
    svg: SafeString
    head: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)


def _attr(value: str) -> str:
    return quoteattr(value)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={_attr(chart_id)} role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title id={_attr(title_id)}>{escape(title)}</title>",
        f"<desc id={_attr(desc_id)}>{escape(description)}</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, weight: str = "normal",
          fill: str = TEXT_COLOUR) -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" {FONT} font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}>{escape(content)}</text>')


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    r = 4.0
    if shape == "square":
        side = _num(2 * r)
        return f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{side}" height="{side}" fill="{colour}"/>'
    if shape == "triangle":
        pts = f"{_num(x)},{_num(y - r - 1)} {_num(x - r - 1)},{_num(y + r)} {_num(x + r + 1)},{_num(y + r)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "diamond":
        pts = (f"{_num(x)},{_num(y - r - 1)} {_num(x + r + 1)},{_num(y)} "
               f"{_num(x)},{_num(y + r + 1)} {_num(x - r - 1)},{_num(y)}")
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{colour}"/>'


def _timestamp(when: date | datetime) -> float:
    if isinstance(when, datetime):
        return when.timestamp()
    return datetime.combine(when, time(12), tzinfo=timezone.get_current_timezone()).timestamp()


def _local_date(when: date | datetime) -> date:
    if isinstance(when, datetime):
        return (timezone.localtime(when) if timezone.is_aware(when) else when).date()
    return when


def _month_starts(first: date, last: date) -> list[date]:
    months: list[date] = []
    year, month = first.year, first.month
    if first.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while date(year, month, 1) <= last:
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _x_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Dates for the x axis: month starts over a long span, up to six days over a short one."""
    span = (last - first).days
    if span > 62:
        months = _month_starts(first, last) or [first]
        step = max(1, math.ceil(len(months) / 7))
        return [(m, formatting.month(m)) for m in months[::step]]
    if span == 0:
        return [(first, formatting.day(first))]
    count = min(6, span + 1)
    days = sorted({first + (last - first) * i / (count - 1) for i in range(count)})
    return [(d, formatting.day(d)) for d in days]


def line_chart(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    date_heading: str,
    value_heading: str,
    series_heading: str = "",
    y_max: float = 100,
    y_label: Callable[[float], str] = lambda v: formatting.count(round(v)),
) -> Chart:
    """A line chart over dates (x) of values from 0 to ``y_max`` (y), one line per series."""
    width, plot_left, plot_right, plot_top, plot_height = 640, 56, 620, 16, 200
    legend_rows = len(series) if len(series) > 1 else 0
    height = plot_top + plot_height + 40 + legend_rows * 20 + 8
    svg = _open_svg(chart_id, title, description, width, height)
    bottom = plot_top + plot_height

    def y_of(value: float) -> float:
        return bottom - plot_height * max(0.0, min(value, y_max)) / y_max

    for i in range(5):  # horizontal grid and y labels at 0, 25, 50, 75, 100 % of y_max
        v = y_max * i / 4
        svg.append(f'<line x1="{plot_left}" y1="{_num(y_of(v))}" x2="{plot_right}" y2="{_num(y_of(v))}" '
                   f'stroke="{GRID_COLOUR}" stroke-width="1"/>')
        svg.append(_text(plot_left - 6, y_of(v) + 4, y_label(v), anchor="end", size=11))

    stamps = [_timestamp(p.when) for s in series for p in s.points]
    if stamps:
        lo, hi = min(stamps), max(stamps)
        # a little room either side so the first and last markers are not cut
        pad = (hi - lo) * 0.03 or 86400.0
        lo, hi = lo - pad, hi + pad

        def x_of(when: date | datetime) -> float:
            return plot_left + (plot_right - plot_left) * (_timestamp(when) - lo) / (hi - lo)

        first = min(_local_date(p.when) for s in series for p in s.points)
        last = max(_local_date(p.when) for s in series for p in s.points)
        for tick, label in _x_ticks(first, last):
            x = x_of(tick)
            if plot_left <= x <= plot_right:
                svg.append(f'<line x1="{_num(x)}" y1="{bottom}" x2="{_num(x)}" y2="{bottom + 5}" '
                           f'stroke="{TEXT_COLOUR}" stroke-width="1"/>')
                svg.append(_text(x, bottom + 18, label, anchor="middle", size=11))

        for n, s in enumerate(series):
            colour, dash, shape = (SERIES_COLOURS[n % len(SERIES_COLOURS)], DASHES[n % len(DASHES)],
                                   MARKERS[n % len(MARKERS)])
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            points = sorted(s.points, key=lambda p: _timestamp(p.when))
            # a hidden value breaks the line, so the chart never suggests a value it does not know
            runs: list[list[Point]] = [[]]
            for p in points:
                if p.value is None:
                    runs.append([])
                else:
                    runs[-1].append(p)
            for run in runs:
                if len(run) > 1:
                    coords = " ".join(f"{_num(x_of(p.when))},{_num(y_of(p.value or 0))}" for p in run)
                    svg.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"'
                               f'{dash_attr}/>')
            for p in points:
                if p.value is not None:
                    svg.append(_marker(shape, x_of(p.when), y_of(p.value), colour))
            shown = [p for p in points if p.value is not None]
            labelled = shown if len(series) == 1 and len(shown) <= 12 else shown[-1:]
            for p in labelled:
                svg.append(_text(x_of(p.when), y_of(p.value or 0) - 8, p.label, anchor="middle", size=11,
                                 weight="bold", fill=colour))
    else:
        svg.append(_text((plot_left + plot_right) / 2, plot_top + plot_height / 2, "–", anchor="middle"))

    svg.append(f'<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{bottom}" stroke="{TEXT_COLOUR}" '
               f'stroke-width="1"/>')
    svg.append(f'<line x1="{plot_left}" y1="{bottom}" x2="{plot_right}" y2="{bottom}" stroke="{TEXT_COLOUR}" '
               f'stroke-width="1"/>')
    for n, s in enumerate(series if legend_rows else ()):
        y = bottom + 40 + n * 20
        colour, dash = SERIES_COLOURS[n % len(SERIES_COLOURS)], DASHES[n % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        svg.append(f'<line x1="{plot_left}" y1="{y - 4}" x2="{plot_left + 36}" y2="{y - 4}" stroke="{colour}" '
                   f'stroke-width="2"{dash_attr}/>')
        svg.append(_marker(MARKERS[n % len(MARKERS)], plot_left + 18, y - 4, colour))
        svg.append(_text(plot_left + 44, y, s.name))
    svg.append("</svg>")

    multi = len(series) > 1
    head = (date_heading, series_heading, value_heading) if multi else (date_heading, value_heading)
    rows: list[tuple[str, ...]] = []
    for s in series:
        for p in sorted(s.points, key=lambda p: _timestamp(p.when)):
            when = formatting.day(p.when)
            rows.append((when, s.name, p.label) if multi else (when, p.label))
    if multi:
        rows.sort(key=lambda r: r[1])
    return Chart(chart_id, title, description, mark_safe("\n".join(svg)), head, rows)  # every text escaped above


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    label_heading: str,
    value_heading: str,
    max_value: float = 100,
) -> Chart:
    """Horizontal bars from 0 to ``max_value``, each labelled with its name and its value as text."""
    width, label_right, bar_left, bar_right, row_height, top = 640, 196, 204, 560, 30, 8
    height = top + row_height * max(1, len(bars)) + 8
    svg = _open_svg(chart_id, title, description, width, height)
    for i, bar in enumerate(bars):
        y = top + i * row_height
        svg.append(_text(label_right, y + 19, bar.label, anchor="end", size=13))
        svg.append(f'<rect x="{bar_left}" y="{y + 5}" width="{bar_right - bar_left}" height="20" fill="#f0f0f0"/>')
        end = bar_left
        if bar.value is not None and max_value > 0:
            length = (bar_right - bar_left) * max(0.0, min(bar.value, max_value)) / max_value
            if length > 0:
                svg.append(f'<rect x="{bar_left}" y="{y + 5}" width="{_num(length)}" height="20" '
                           f'fill="{bar.colour}"/>')
            end = bar_left + length
        else:  # hidden: an outline only, so nobody reads an empty bar as zero
            svg.append(f'<rect x="{bar_left}" y="{y + 5}" width="{bar_right - bar_left}" height="20" fill="none" '
                       f'stroke="{GRID_COLOUR}" stroke-dasharray="4 3"/>')
        svg.append(_text(end + 6, y + 19, bar.display, size=13, weight="bold"))
    svg.append(f'<line x1="{bar_left}" y1="{top}" x2="{bar_left}" y2="{height - 8}" stroke="{TEXT_COLOUR}" '
               f'stroke-width="1"/>')
    svg.append("</svg>")
    rows = [(bar.label, bar.display) for bar in bars]
    return Chart(chart_id, title, description, mark_safe("\n".join(svg)),
                 (label_heading, value_heading), rows)


def grade_colour(letter: str) -> str:
    return GRADE_COLOURS.get(letter[:1], NEUTRAL_COLOUR)


@dataclass(frozen=True, slots=True)
class MaturityBar:
    label: str
    value: float | None  # 0..4; None: nothing to score (every answer "not applicable"); ``display`` says so
    display: str  # the score as text ("2.5"), or why there is none
    level: str = ""  # the level's name, for the table ("" when there is no score)
    emphasis: bool = False  # the overall row: bold label, darker bar


def _fit(label: str, limit: int) -> str:
    """Shorten a label that would not fit left of the bars (the table and the <desc> carry it in full)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def maturity_chart(
    bars: Sequence[MaturityBar],
    *,
    chart_id: str,
    title: str,
    description: str,
    label_heading: str,
    value_heading: str,
    level_heading: str,
    max_value: int = 4,
) -> Chart:
    """Horizontal bars on a 0..``max_value`` maturity scale with a grid line and number at every level.

    Drawn for WeasyPrint too (presentation attributes only). Long area names are shortened in the picture;
    the table alternative has them in full with the level names.
    """
    width, label_right, bar_left, bar_right, row_height, top = 640, 262, 270, 590, 28, 8
    rows_bottom = top + row_height * max(1, len(bars))
    height = rows_bottom + 28
    svg = _open_svg(chart_id, title, description, width, height)

    def x_of(value: float) -> float:
        return bar_left + (bar_right - bar_left) * max(0.0, min(value, max_value)) / max_value

    for level in range(max_value + 1):
        x = x_of(level)
        dash = "" if level == 0 else ' stroke-dasharray="3 3"'
        svg.append(f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{rows_bottom}" stroke="{GRID_COLOUR}" '
                   f'stroke-width="1"{dash}/>')
        svg.append(_text(x, rows_bottom + 18, str(level), anchor="middle", size=11))
    for i, bar in enumerate(bars):
        y = top + i * row_height
        svg.append(_text(label_right, y + 18, _fit(bar.label, 40), anchor="end", size=11,
                         weight="bold" if bar.emphasis else "normal"))
        colour = SERIES_COLOURS[4] if bar.emphasis else NEUTRAL_COLOUR
        if bar.value is not None:
            end = x_of(bar.value)
            if end > bar_left:
                svg.append(f'<rect x="{bar_left}" y="{y + 5}" width="{_num(end - bar_left)}" height="18" '
                           f'fill="{colour}"/>')
            # the value inside the bar's end when it would not fit after it
            text_width = 8 * len(bar.display) + 4
            if end + 4 + text_width > width:
                svg.append(_text(end - 6, y + 18, bar.display, anchor="end", size=12, weight="bold", fill="#ffffff"))
            else:  # on a white patch, so a grid line never runs through the number
                svg.append(f'<rect x="{_num(end + 2)}" y="{y + 5}" width="{text_width}" height="18" fill="#ffffff"/>')
                svg.append(_text(end + 4, y + 18, bar.display, size=12, weight="bold"))
        else:  # nothing to score: an outline only, so nobody reads an empty bar as zero
            svg.append(f'<rect x="{bar_left}" y="{y + 5}" width="{bar_right - bar_left}" height="18" fill="none" '
                       f'stroke="{GRID_COLOUR}" stroke-dasharray="4 3"/>')
            svg.append(_text(bar_left + 6, y + 18, bar.display, size=12))
    svg.append(f'<line x1="{bar_left}" y1="{top}" x2="{bar_left}" y2="{rows_bottom}" stroke="{TEXT_COLOUR}" '
               f'stroke-width="1"/>')
    svg.append("</svg>")
    rows = [(bar.label, bar.display, bar.level) for bar in bars]
    return Chart(chart_id, title, description, mark_safe("\n".join(svg)),  # every text escaped above
                 (label_heading, value_heading, level_heading), rows)
