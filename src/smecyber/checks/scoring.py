"""Scores and letter grades, each explainable from the points its findings cost.

Every finding names a score group and the points it cost (negative) or earned (positive, only in
``web_headers``). ``web_headers`` follows the MDN HTTP Observatory (algorithm version 4): start at 100,
add every penalty; only when the result is 90 or more, add the bonuses too (its "extra credit" rule).
The other groups start at 100 and subtract penalties, floored at 0. Letters use the Observatory's scale for
every group so one letter means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Area, Finding, Grade, Status

# (minimum score, letter), highest first; the MDN HTTP Observatory's grade chart.
GRADE_SCALE: tuple[tuple[int, str], ...] = (
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"),
    (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
)
OBSERVATORY_EXTRA_CREDIT_MIN = 90

# Which score groups make up each area's part of the overall grade.
AREA_GROUPS: dict[Area, tuple[str, ...]] = {
    Area.WEB: ("web_headers", "tls", "web"),
    Area.MAIL: ("mail",),
    Area.DNS: ("dns",),
}


# Findings that mean there is nothing to grade in these groups (like the Observatory, which gives no grade
# for a site that is down): the groups get no grade instead of a score built from unrelated points.
NOT_GRADED: dict[str, tuple[str, ...]] = {
    "web.headers.not_scored": ("web_headers",),
    "web.https.no_website": ("web_headers", "tls", "web"),
}


def letter_for(score: int) -> str:
    for minimum, letter in GRADE_SCALE:
        if score >= minimum:
            return letter
    return "F"


def observatory_score(points: Iterable[int]) -> int:
    pts = list(points)
    score = 100 + sum(p for p in pts if p < 0)
    if score >= OBSERVATORY_EXTRA_CREDIT_MIN:
        score += sum(p for p in pts if p > 0)
    return max(score, 0)


def _deductions(findings: list[Finding]) -> tuple[tuple[str, int], ...]:
    return tuple((f.key, f.points) for f in findings if f.points)


def group_grade(group: str, findings: list[Finding]) -> Grade | None:
    """The grade of one score group, or ``None`` when no finding of that group was produced."""
    mine = [f for f in findings if f.score_group == group]
    if not mine:
        return None
    errors = [f for f in mine if f.status is Status.ERROR]
    if group == "web_headers":
        score = observatory_score(f.points for f in mine)
    else:
        score = max(0, 100 + sum(f.points for f in mine if f.points < 0))
    note = f"{len(errors)} check(s) could not complete" if errors else None
    return Grade(score, letter_for(score), _deductions(mine), note)


def compute_grades(findings: list[Finding], areas: Iterable[Area]) -> dict[str, Grade]:
    grades: dict[str, Grade] = {}
    ungraded = {g for f in findings for g in NOT_GRADED.get(f.key, ())}
    for group in ("web_headers", "tls", "web", "mail", "dns"):
        if group in ungraded:
            continue
        g = group_grade(group, findings)
        if g is not None:
            grades[group] = g
    area_scores: list[int] = []
    for area in areas:
        parts = [min(grades[g].score, 100) for g in AREA_GROUPS[area] if g in grades]
        if parts:
            area_scores.append(round(sum(parts) / len(parts)))
    if area_scores:
        overall = round(sum(area_scores) / len(area_scores))
        all_deductions = tuple(d for g in grades.values() for d in g.deductions if d[1] < 0)
        grades["overall"] = Grade(
            overall, letter_for(overall), all_deductions,
            note="mean of the area scores (web = mean of headers, TLS and HTTPS set-up)",
        )
    return grades
