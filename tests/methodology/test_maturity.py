"""Applicability and maturity scores on crafted answer sets."""

from __future__ import annotations

import pytest

from smecyber.catalog.questionnaire_model import Condition
from smecyber.methodology.applicability import applicable_areas, applicable_questions, applies
from smecyber.methodology.maturity import level_of, round_half_up, score
from smecyber.methodology.plan import build_plan
from smecyber.methodology.profile import Profile

from .builders import build, question, sample

MICRO = Profile(country="LV", sector="G", size_band="micro")
SOFTWARE = Profile(country="LT", sector="J", size_band="small", builds_software=True, places_products=True)


def test_conditions_are_and_of_fields_and_or_within_a_list() -> None:
    cond = Condition(size_band=frozenset({"small", "medium"}), sector=frozenset({"J", "M"}))
    assert applies(cond, Profile(size_band="small", sector="M"))
    assert not applies(cond, Profile(size_band="micro", sector="M"))
    assert not applies(cond, Profile(size_band="small", sector="G"))
    assert applies(Condition(), Profile())
    assert applies(Condition(personal_data=True), Profile(personal_data=frozenset({"patients"})))
    assert not applies(Condition(personal_data=True), Profile())
    assert applies(Condition(nis2_sector=False), Profile())
    assert not applies(Condition(nis2_sector=True), Profile())
    assert applies(Condition(builds_software=True, places_products=False), Profile(builds_software=True))


def test_micro_shop_skips_policy_personal_data_and_development() -> None:
    q = sample()
    ids = [x.id for x in applicable_questions(q, MICRO)]
    assert ids == ["governance.responsible", "backups.offline_copy", "backups.restore_test",
                   "email_web.anti_spoofing", "access.mfa"]
    assert [a.id for a in applicable_areas(q, MICRO)] == ["governance", "access", "backups", "email_web"]


def test_software_company_gets_the_development_area() -> None:
    q = sample()
    ids = [x.id for x in applicable_questions(q, SOFTWARE)]
    assert "governance.policy" in ids
    assert [i for i in ids if i.startswith("development.")] == [
        "development.sbom", "development.vuln_handling", "development.secure_default"]
    assert "development" in [a.id for a in applicable_areas(q, SOFTWARE)]


def test_weighted_score_rounding_and_level() -> None:
    q = sample()
    # backups: offline_copy w3 v0.5, restore_test w2 v0.25 -> 4 * (1.5 + 0.5) / 5 = 1.6
    m = score(q, MICRO, {"backups.offline_copy": "0.5", "backups.restore_test": "0.25"})
    backups = m.area("backups")
    assert backups is not None
    assert backups.score == 1.6 and backups.level == 1
    assert backups.applicable == 2 and backups.answered == 2 and backups.not_applicable == 0
    assert m.overall == 1.6 and m.level == 1
    assert m.applicable == 5 and m.answered == 2 and not m.complete
    # governance: nothing answered -> None, not 0
    assert m.area("governance").score is None and m.area("governance").level is None


def test_overall_is_weighted_over_all_questions_not_the_mean_of_areas() -> None:
    q = sample()
    answers = {"governance.responsible": "1", "backups.offline_copy": "0", "backups.restore_test": "0"}
    m = score(q, MICRO, answers)
    assert m.area("governance").score == 4.0 and m.area("backups").score == 0.0
    # 4 * 3 / (3 + 3 + 2) = 1.5 (the mean of the areas would be 2.0)
    assert m.overall == 1.5


def test_rounding_is_half_up() -> None:
    assert round_half_up(2.25, 1) == 2.3
    assert round_half_up(2.35, 1) == 2.4
    assert round_half_up(62.5) == 63
    q = build([question("backups.a", weight=1), question("backups.b", weight=1), question("backups.c", weight=2),
               question("backups.d", weight=4)])
    m = score(q, MICRO, {"backups.a": "0.25", "backups.b": "0.25", "backups.c": "0.25", "backups.d": "1"})
    # 4 * (0.25 + 0.25 + 0.5 + 4) / 8 = 2.5
    assert m.overall == 2.5
    m = score(q, MICRO, {"backups.a": "0.25", "backups.b": "0.5", "backups.c": "0.25", "backups.d": "0.25"})
    # 4 * (0.25 + 0.5 + 0.5 + 1) / 8 = 1.125 -> 1.1
    assert m.overall == 1.1
    m = score(q, MICRO, {"backups.a": "0", "backups.b": "0", "backups.c": "0.25", "backups.d": "1"})
    # 4 * (0.5 + 4) / 8 = 2.25 -> 2.3 (half up; Python's round() would say 2.2)
    assert m.overall == 2.3


@pytest.mark.parametrize(("value", "level"), [(0.0, 0), (0.9, 0), (1.0, 1), (1.99, 1), (2.5, 2), (3.9, 3), (4.0, 4)])
def test_level_is_the_whole_part(value: float, level: int) -> None:
    assert level_of(value) == level


def test_level_four_only_when_every_answer_is_full() -> None:
    q = sample()
    full = {"governance.responsible": "1", "backups.offline_copy": "1", "backups.restore_test": "1",
            "email_web.anti_spoofing": "1", "access.mfa": "1"}
    m = score(q, MICRO, full)
    assert m.overall == 4.0 and m.level == 4 and m.complete
    m = score(q, MICRO, {**full, "backups.restore_test": "0.5"})
    assert m.level == 3


def test_moves_explain_the_lost_points() -> None:
    q = sample()
    answers = {"backups.offline_copy": "0.25", "backups.restore_test": "1", "governance.responsible": "0.5"}
    m = score(q, MICRO, answers)
    backups = m.area("backups")
    assert [mv.question for mv in backups.moves] == ["backups.offline_copy", "backups.restore_test"]  # costliest first
    first = backups.moves[0]
    assert (first.answer, first.value, first.weight) == ("0.25", 0.25, 3)
    assert first.lost == pytest.approx(4 * 3 * 0.75 / 5)
    assert backups.moves[1].lost == 0
    for a in m.areas:
        if a.score is not None:
            assert sum(mv.lost for mv in a.moves) == pytest.approx(4 - a.score, abs=0.05)


def test_everything_not_applicable() -> None:
    q = sample()
    answers = {x.id: "na" for x in q.questions.values()}
    m = score(q, SOFTWARE, answers)
    assert m.overall is None and m.level is None
    assert all(a.score is None and a.moves == () and a.not_applicable == a.applicable for a in m.areas)
    assert m.complete and m.answered == m.applicable
    assert build_plan(q, SOFTWARE, answers, []) == []


def test_no_answers_and_unknown_or_invalid_answers_are_ignored() -> None:
    q = sample()
    m = score(q, MICRO, {})
    assert m.overall is None and m.answered == 0 and m.applicable == 5
    m = score(q, MICRO, {"nope.question": "1", "backups.offline_copy": "0.3", "access.mfa": "0.5"})
    # 0.3 is no step; yes/no has no 0.5 -> neither counts
    assert m.overall is None and m.answered == 0


def test_answers_to_questions_that_do_not_apply_do_not_count() -> None:
    q = sample()
    m = score(q, MICRO, {"development.sbom": "0", "governance.policy": "0", "governance.responsible": "1"})
    assert m.overall == 4.0
    assert m.area("development") is None
