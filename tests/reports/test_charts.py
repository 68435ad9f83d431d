"""Server-side SVG charts: well-formed, labelled for assistive technology, no inline styles, and the same
numbers as their table alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from smecyber.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def assert_accessible(root: ET.Element, chart: charts.Chart) -> None:
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby", "").split()
    assert ids == [f"{chart.id}-title", f"{chart.id}-desc"]
    by_id = {el.get("id"): el for el in root.iter()}
    assert by_id[ids[0]].tag == f"{SVG}title" and by_id[ids[0]].text == chart.title
    assert by_id[ids[1]].tag == f"{SVG}desc" and by_id[ids[1]].text == chart.description
    for el in root.iter():  # the CSP forbids inline styles and scripts
        assert "style" not in el.attrib
        assert not any(name.startswith("on") for name in el.attrib)
        assert el.tag != f"{SVG}script"


def test_trend_line_chart_is_well_formed_and_matches_its_table() -> None:
    start = timezone.now() - timedelta(days=200)
    points = [charts.Point(start + timedelta(days=30 * i), score, str(score)) for i, score in enumerate((35, 52, 78))]
    chart = charts.line_chart(
        [charts.Series("ålborg-<shop>.test & co", points)], chart_id="trend", title="Overall score over time",
        description="Scores: 35, 52, 78.", date_heading="Date", value_heading="Score",
    )
    root = parse(chart)
    assert_accessible(root, chart)
    assert chart.head == ("Date", "Score")
    assert [row[1] for row in chart.rows] == ["35", "52", "78"]
    labels = texts(root)
    for row in chart.rows:
        assert row[1] in labels  # every point carries its value as text
    # a dated x axis: month ticks over a 200-day span
    assert any(label.endswith(str(start.year)) or label.endswith(str(start.year + 1)) for label in labels)
    polyline = next(root.iter(f"{SVG}polyline"))
    ys = [float(pair.split(",")[1]) for pair in polyline.get("points", "").split()]
    assert ys[0] > ys[1] > ys[2]  # higher scores are drawn higher


def test_several_series_differ_by_more_than_colour() -> None:
    day = date(2025, 1, 10)
    series = [charts.Series(name, [charts.Point(day + timedelta(days=d), 50 + d, str(50 + d)) for d in (0, 7)])
              for name in ("a.test", "b.test")]
    chart = charts.line_chart(series, chart_id="many", title="t", description="d", date_heading="Date",
                              value_heading="Score", series_heading="Domain")
    root = parse(chart)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")
    assert {"a.test", "b.test"} <= set(texts(root))  # a legend names each line
    assert root.find(f"{SVG}circle") is not None and root.find(f"{SVG}rect[@width='8']") is not None  # two markers
    assert chart.head == ("Date", "Domain", "Score")
    assert [(r[1], r[2]) for r in chart.rows] == [("a.test", "50"), ("a.test", "57"), ("b.test", "50"),
                                                   ("b.test", "57")]


def test_a_hidden_point_breaks_the_line_and_the_table_says_so() -> None:
    months = [date(2025, m, 1) for m in range(1, 6)]
    values = [40.0, 50.0, None, 60.0, 70.0]
    points = [charts.Point(m, v, "hidden" if v is None else f"{v:.0f}%") for m, v in zip(months, values, strict=True)]
    chart = charts.line_chart([charts.Series("SMEs at A or B", points)], chart_id="share", title="t",
                              description="d", date_heading="Month", value_heading="Share")
    root = parse(chart)
    assert len(list(root.iter(f"{SVG}polyline"))) == 2  # two runs, no line drawn through the unknown month
    assert [r[1] for r in chart.rows] == ["40%", "50%", "hidden", "60%", "70%"]


def test_empty_line_chart_still_renders() -> None:
    chart = charts.line_chart([], chart_id="empty", title="t", description="d", date_heading="Date",
                              value_heading="Score")
    assert_accessible(parse(chart), chart)
    assert chart.rows == []


def test_bar_chart_lengths_and_labels_match_the_table() -> None:
    bars = [
        charts.Bar("A", 50.0, "10 (50%)", charts.grade_colour("A")),
        charts.Bar("B", 25.0, "5 (25%)", charts.grade_colour("B")),
        charts.Bar("F", None, "hidden", charts.grade_colour("F")),
    ]
    chart = charts.bar_chart(bars, chart_id="grades", title="Overall grades", description="A: 10; B: 5; F: hidden.",
                             label_heading="Grade", value_heading="Number (share)")
    root = parse(chart)
    assert_accessible(root, chart)
    assert chart.rows == [("A", "10 (50%)"), ("B", "5 (25%)"), ("F", "hidden")]
    labels = texts(root)
    for label, value in chart.rows:
        assert label in labels and value in labels
    filled = {r.get("fill"): float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")
              if r.get("fill") in (charts.grade_colour("A"), charts.grade_colour("B"), charts.grade_colour("F"))}
    assert filled[charts.grade_colour("A")] == pytest.approx(2 * filled[charts.grade_colour("B")])
    assert charts.grade_colour("F") not in filled  # no bar for a hidden value, only a dashed outline
    assert any(r.get("stroke-dasharray") for r in root.iter(f"{SVG}rect"))


def test_axis_dates_follow_the_active_language() -> None:
    points = [charts.Point(datetime(2025, m, 15, tzinfo=timezone.get_current_timezone()), 50, "50")
              for m in (1, 4, 8)]
    with translation.override("lt"):
        chart = charts.line_chart([charts.Series("x.test", points)], chart_id="lt", title="t", description="d",
                                  date_heading="Data", value_heading="Balai")
    labels = texts(parse(chart))
    assert "Vas 2025" in labels  # February as Lithuanian writes it
    assert chart.rows[0][0] == "2025-01-15"
