"""Scores and grades: the Observatory's rules for web_headers, plain deductions elsewhere, explainable."""

from __future__ import annotations

import pytest

from smecyber.checks.model import Area, Finding, Status
from smecyber.checks.scoring import compute_grades, letter_for, observatory_score


def _f(key: str, points: int, group: str, status: Status = Status.WARN) -> Finding:
    return Finding(check=".".join(key.split(".")[:2]), key=key, status=status, points=points, score_group=group)


@pytest.mark.parametrize(("score", "letter"), [
    (135, "A+"), (100, "A+"), (99, "A"), (90, "A"), (89, "A-"), (85, "A-"), (84, "B+"), (80, "B+"), (79, "B"),
    (70, "B"), (65, "B-"), (60, "C+"), (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (24, "F"), (0, "F"),
])
def test_letters_follow_the_observatory_chart(score: int, letter: str) -> None:
    assert letter_for(score) == letter


def test_observatory_extra_credit_only_from_90() -> None:
    assert observatory_score([-10, 5, 10]) == 105  # 90 earns the bonuses
    assert observatory_score([-15, 5, 10]) == 85  # 85 does not
    assert observatory_score([-60, -60]) == 0  # floored


def test_grades_list_their_deductions_and_overall_is_the_area_mean() -> None:
    findings = [
        _f("web.headers.csp_not_implemented", -25, "web_headers"),
        _f("web.hsts.max_age_short", -10, "web"),
        _f("tls.protocols.ok", 0, "tls", Status.PASS),
        _f("mail.dmarc.policy_none", -20, "mail"),
        _f("dns.caa.missing", -10, "dns"),
    ]
    g = compute_grades(findings, [Area.WEB, Area.MAIL, Area.DNS])
    assert (g["web_headers"].score, g["web_headers"].letter) == (75, "B")
    assert g["web"].deductions == (("web.hsts.max_age_short", -10),)
    assert g["tls"].score == 100
    assert g["mail"].score == 80 and g["dns"].score == 90
    web_area = round((75 + 100 + 90) / 3)
    assert g["overall"].score == round((web_area + 80 + 90) / 3)
    assert ("mail.dmarc.policy_none", -20) in g["overall"].deductions


def test_a_domain_without_a_website_gets_no_web_grades() -> None:
    findings = [
        _f("web.https.no_website", 0, "web", Status.INFO),
        _f("web.headers.not_scored", 0, "web_headers", Status.INFO),
        _f("mail.spf.ok", 0, "mail", Status.PASS),
        _f("dns.caa.missing", -10, "dns"),
    ]
    g = compute_grades(findings, [Area.WEB, Area.MAIL, Area.DNS])
    assert set(g) == {"mail", "dns", "overall"}
    assert g["overall"].score == 95
