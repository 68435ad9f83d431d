"""The engine on the packaged questionnaire and the shipped example answer files (`smecyber assess`)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from smecyber.catalog import load_catalog
from smecyber.catalog.languages import SUPPORTED_LANGUAGES
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.catalog.questionnaire_model import SIZE_BANDS, Questionnaire
from smecyber.methodology.answers_file import load_answers_file
from smecyber.methodology.applicability import applicable_areas, applicable_questions
from smecyber.methodology.assess import SCHEMA_FILE, assess, result_document
from smecyber.methodology.nis2 import assess_nis2
from smecyber.methodology.plan import PlanFinding, build_plan, merge_key_for_finding
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import reason_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MICRO_SHOP = Profile(country="LV", sector="G", size_band="micro")


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire()


def test_micro_company_without_software_gets_fewer_than_30_questions(q: Questionnaire) -> None:
    questions = applicable_questions(q, MICRO_SHOP)
    assert 0 < len(questions) < 30
    assert "development" not in [a.id for a in applicable_areas(q, MICRO_SHOP)]


def test_everything_not_applicable(q: Questionnaire) -> None:
    profile = Profile(size_band="large", builds_software=True, places_products=True,
                      personal_data=frozenset({"patients"}), nis2_sector=next(iter(q.nis2_sectors)))
    answers = {question.id: "na" for question in q.questions.values()}
    result = assess(q, profile, answers, today=date(2026, 1, 1))
    assert result.maturity.overall is None and result.maturity.complete
    assert all(a.score is None for a in result.maturity.areas)
    assert result.cra.readiness is None and result.plan == ()
    assert result.benchmark.reason == "benchmark.no_data"
    jsonschema.validate(result_document(result, q, "lv"), json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def test_all_zero_answers_put_every_named_recommendation_in_the_plan(q: Questionnaire) -> None:
    profile = Profile(size_band="medium", builds_software=True, places_products=True,
                      personal_data=frozenset({"pupils"}), nis2_sector=next(iter(q.nis2_sectors)))
    questions = applicable_questions(q, profile)
    answers = {question.id: "0" for question in questions}
    plan = build_plan(q, profile, answers, [])
    named = {rec for question in questions for rec in question.recommendations}
    assert {item.key for item in plan} == named
    assert all(item.gap == 1.0 for item in plan)
    assert [i.priority for i in plan] == sorted((i.priority for i in plan), reverse=True)


def test_every_finding_lands_in_its_recommendation_or_its_own_item(q: Questionnaire) -> None:
    keys: list[str] = load_catalog().keys()
    for key in keys:
        target = merge_key_for_finding(q, key)
        owners = [r.id for r in q.recommendations.values() if any(key.startswith(p) for p in r.findings)]
        if owners:
            assert target == owners[0] and len(owners) == 1, key
        else:
            assert target.startswith("finding:"), key


def test_dmarc_finding_and_spoofing_answer_are_one_item(q: Questionnaire) -> None:
    rec = merge_key_for_finding(q, "mail.dmarc.missing")
    question = next(x for x in applicable_questions(q, MICRO_SHOP) if rec in x.recommendations)
    plan = build_plan(q, MICRO_SHOP, {question.id: "0"},
                      [PlanFinding("mail.dmarc.missing", "fail", "high", "shop.lv")])
    items = [i for i in plan if i.key == rec]
    assert len(items) == 1 and items[0].questions == ((question.id, "0"),)
    assert items[0].findings == (("mail.dmarc.missing", "fail", "shop.lv"),)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_nis2_for_every_sector_and_size(q: Questionnaire, lang: str) -> None:
    for sector in q.nis2_sectors:
        for size in SIZE_BANDS:
            result = assess_nis2(Profile(size_band=size, nis2_sector=sector), q)
            assert result.scope in ("out", "important", "essential")
            for reason in result.reasons:
                assert "{" not in reason_text(reason, lang, q)


def test_example_files_answer_every_applicable_question(q: Questionnaire) -> None:
    for name in ("answers-micro-shop.yaml", "answers-software-company.yaml"):
        profile, answers = load_answers_file(EXAMPLES / name, q)
        asked = {x.id for x in applicable_questions(q, profile)}
        assert asked == set(answers), name


def _assess_json(name: str, *extra: str) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, "-m", "smecyber.cli", "assess", "--answers", str(EXAMPLES / name),
                           "--json", "--date", "2026-10-01", *extra], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    return doc


def test_cli_micro_shop_example() -> None:
    doc = _assess_json("answers-micro-shop.yaml")
    assert doc["maturity"]["applicable"] < 30 and doc["maturity"]["complete"]
    assert doc["maturity"]["overall"] is not None
    assert doc["nis2"]["scope"] == "out" and doc["nis2"]["size"] == "micro" and not doc["nis2"]["size_estimated"]
    assert doc["cra"]["applies"] is False
    assert len(doc["plan"]) >= 10
    assert "development" not in [a["area"] for a in doc["maturity"]["areas"]]


def test_cli_software_company_example_in_lithuanian() -> None:
    doc = _assess_json("answers-software-company.yaml", "--lang", "lt")
    assert "development" in [a["area"] for a in doc["maturity"]["areas"]]
    assert doc["nis2"]["scope"] == "important" and doc["nis2"]["size"] == "medium" and doc["nis2"]["annex"] == "I"
    assert doc["cra"]["applies"] is True and doc["cra"]["readiness"] is not None
    assert [m["in_force"] for m in doc["cra"]["milestones"]] == [True, True, False]
    assert "teisinė konsultacija" in doc["nis2"]["reasons"][-1]["text"]


def test_cli_text_output_of_an_example() -> None:
    proc = subprocess.run([sys.executable, "-m", "smecyber.cli", "assess", "--answers",
                           str(EXAMPLES / "answers-software-company.yaml"), "--no-color"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    for needle in ("Maturity per area", "NIS2", "Cyber Resilience Act (CRA)", "Action plan: do these first"):
        assert needle in proc.stdout
