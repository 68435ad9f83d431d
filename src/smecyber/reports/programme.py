"""The coordinator's charts, drawn from ``programme_aggregates`` (already suppressed: hidden figures are None)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import charts, formatting


def hidden_label() -> str:
    return _("hidden")


def share_label(s: dict[str, Any]) -> str:
    if s["percent"] is None:
        return hidden_label()
    return _("%(percent)s (%(count)s of %(total)s)") % {
        "percent": formatting.percent(s["percent"] / 100), "count": formatting.count(s["count"]),
        "total": formatting.count(s["total"])}


def bucket_label(b: dict[str, Any]) -> str:
    if b["count"] is None:
        return hidden_label()
    return _("%(count)s (%(percent)s)") % {"count": formatting.count(b["count"]),
                                          "percent": formatting.percent(b["percent"] / 100)}


def grade_chart(grades: dict[str, Any], *, chart_id: str, unit_title: str) -> charts.Chart:
    bars = [charts.Bar(b["grade"], b["percent"], bucket_label(b), charts.grade_colour(b["grade"]))
            for b in grades["buckets"]]
    shown = "; ".join(f"{b.label}: {b.display}" for b in bars)
    return charts.bar_chart(
        bars, chart_id=chart_id, title=_("Overall grades of %(unit)s") % {"unit": unit_title},
        description=_("Share of %(unit)s per overall grade, A best and F worst. %(values)s.") % {
            "unit": unit_title, "values": shown},
        label_heading=_("Grade"), value_heading=_("Number (share)"))


def shares_chart(rows: list[tuple[str, dict[str, Any]]], *, chart_id: str, title: str) -> charts.Chart:
    bars = [charts.Bar(label, s["percent"], share_label(s)) for label, s in rows]
    shown = "; ".join(f"{b.label}: {b.display}" for b in bars)
    return charts.bar_chart(bars, chart_id=chart_id, title=title, description=f"{shown}.",
                            label_heading=_("Measure"), value_heading=_("Share"))


def trend_chart(trend: list[dict[str, Any]], *, chart_id: str) -> charts.Chart:
    points = [
        charts.Point(date.fromisoformat(t["month"]), t["at_a_or_b"]["percent"],
                     _("no results yet") if t["graded"] == 0 else share_label(t["at_a_or_b"]))
        for t in trend
    ]
    shown = "; ".join(f"{formatting.month(p.when)}: {p.label}" for p in points)
    chart = charts.line_chart(
        [charts.Series(_("SMEs at A or B"), points)], chart_id=chart_id,
        title=_("Share of SMEs whose weakest domain is graded A or B, per month"),
        description=_("Last 12 months. %(values)s.") % {"values": shown},
        date_heading=_("Month"), value_heading=_("Share at A or B"),
        y_label=lambda v: formatting.percent(v / 100))
    # the table names months, not days
    rows = [(formatting.month(p.when), p.label) for p in points]
    return charts.Chart(chart.id, chart.title, chart.description, chart.svg, chart.head, rows)


def programme_charts(aggregates: dict[str, Any]) -> dict[str, charts.Chart]:
    smes, sweeps = aggregates["smes"], aggregates["sweeps"]
    return {
        "sme_grades": grade_chart(smes["grades"], chart_id="sme-grades", unit_title=_("SMEs (weakest domain)")),
        "sme_shares": shares_chart([
            (_("DMARC at reject"), smes["dmarc_reject"]),
            (_("HTTPS with HSTS"), smes["https_hsts"]),
            (_("Graded A or B"), smes["at_a_or_b"]),
        ], chart_id="sme-shares", title=_("Share of SMEs with each protection on all their domains")),
        "sme_trend": trend_chart(smes["trend"], chart_id="sme-trend"),
        "sweep_grades": grade_chart(sweeps["grades"], chart_id="sweep-grades", unit_title=_("swept domains")),
        "sweep_shares": shares_chart([
            (_("DMARC at reject"), sweeps["dmarc_reject"]),
            (_("HTTPS with HSTS"), sweeps["https_hsts"]),
            (_("Graded A or B"), sweeps["at_a_or_b"]),
        ], chart_id="sweep-shares", title=_("Share of swept domains with each protection")),
    }


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: str | None  # None: hidden (the page says why)


def _count_figure(label: str, value: int | None) -> Figure:
    return Figure(label, None if value is None else formatting.count(value))


def _share_figure(label: str, s: dict[str, Any]) -> Figure:
    return Figure(label, None if s["percent"] is None else share_label(s))


def sme_figures(smes: dict[str, Any]) -> list[Figure]:
    return [
        _count_figure(_("SMEs in the programme"), smes["total"]),
        _count_figure(_("SMEs with at least one scanned domain"), smes["scanned"]),
        _share_figure(_("DMARC at reject on all their domains"), smes["dmarc_reject"]),
        _share_figure(_("HTTPS with HSTS on all their websites"), smes["https_hsts"]),
        _share_figure(_("Weakest domain graded A or B"), smes["at_a_or_b"]),
    ]


def sweep_figures(sweeps: dict[str, Any]) -> list[Figure]:
    return [
        _count_figure(_("Swept domains"), sweeps["domains"]),
        _share_figure(_("DMARC at reject"), sweeps["dmarc_reject"]),
        _share_figure(_("HTTPS with HSTS"), sweeps["https_hsts"]),
        _share_figure(_("Graded A or B"), sweeps["at_a_or_b"]),
    ]
