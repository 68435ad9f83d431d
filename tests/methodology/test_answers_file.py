"""Reading answer files: values written as numbers or strings, every problem of a file listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.methodology.answers_file import AnswersFileError, load_answers_file, profile_problems
from smecyber.methodology.profile import Profile

GOOD = """\
profile: {country: lv, sector: g, size_band: micro, employees: 4, turnover_meur: 0.6, balance_sheet_meur: 0.3,
          builds_software: false, places_products: false, personal_data: [], nis2_sector: ""}
answers:
  governance.responsible: "0.5"
  backups.offline_copy: 1
  backups.restore_test: 0.25
  email_web.anti_spoofing: na
  access.mfa: 1.0
  development.sbom: 0
  governance.policy:
"""


def test_values_as_numbers_strings_and_na(sample_q: Questionnaire, write) -> None:  # type: ignore[no-untyped-def]
    profile, answers = load_answers_file(write(GOOD), sample_q)
    assert profile == Profile(country="LV", sector="G", size_band="micro", employees=4, turnover_meur=0.6,
                              balance_sheet_meur=0.3)
    assert answers == {"governance.responsible": "0.5", "backups.offline_copy": "1", "backups.restore_test": "0.25",
                       "email_web.anti_spoofing": "na", "access.mfa": "1", "development.sbom": "0"}
    # governance.policy: empty = not answered yet


def test_yes_no_words_and_upper_case_na(sample_q: Questionnaire, write) -> None:  # type: ignore[no-untyped-def]
    _, answers = load_answers_file(write("profile: {size_band: small}\nanswers: {access.mfa: yes, "
                                         "backups.offline_copy: NA, backups.restore_test: '0.50'}\n"), sample_q)
    assert answers == {"access.mfa": "1", "backups.offline_copy": "na", "backups.restore_test": "0.5"}


def test_every_problem_is_listed(sample_q: Questionnaire, write) -> None:  # type: ignore[no-untyped-def]
    text = """\
profile: {country: Latvia, sector: Z, size_band: tiny, employees: -1, turnover_meur: lots, builds_software: maybe,
          personal_data: [clients], nis2_sector: no.such.sector, colour: blue}
answers:
  backups.offlin_copy: 1
  backups.offline_copy: 0.3
  access.mfa: 0.5
  governance.responsible: sometimes
extra: 1
"""
    with pytest.raises(AnswersFileError) as exc:
        load_answers_file(write(text), sample_q)
    problems = exc.value.problems
    expected = ["unknown top-level key 'extra'", "unknown field 'colour'", "country 'Latvia'", "sector 'Z'",
                "size_band 'tiny'", "employees -1", "turnover_meur 'lots'", "builds_software 'maybe'",
                "personal_data 'clients'", "nis2_sector 'no.such.sector'", "backups.offlin_copy: unknown question id",
                "backups.offline_copy: 0.3 is not an answer", "access.mfa: 0.5 is not an answer of this question "
                "(one of 0, 1, na)", "governance.responsible: 'sometimes' is not an answer"]
    for needle in expected:
        assert any(needle in p for p in problems), (needle, problems)
    assert len(problems) == len(expected)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("profile: {size_band: micro\nanswers: {}\n", "not valid YAML (line 2, column"),
        ("profile: {size_band: micro}\nprofile: {size_band: small}\n", "duplicate key 'profile'"),
        ("- just\n- a list\n", "must be a mapping with 'profile' and 'answers'"),
        ("answers: {}\n", "profile: missing"),
        ("profile: {country: LV}\n", "size_band is missing"),
        ("profile: {size_band: micro}\nanswers: [1, 2]\n", "answers: must be a mapping"),
        ("profile: {size_band: micro, employees: 4.5}\n", "employees 4.5 must be a whole number"),
        ("profile: {size_band: micro, turnover_meur: .nan}\n", "turnover_meur nan"),
        ("profile: {size_band: micro}\nanswers:\n  ? [governance.responsible]\n  : 1\n",
         "not valid YAML (line 3, column 5): a list cannot be a key"),
        ("profile: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML: nested too deeply"),
    ],
)
def test_bad_files(sample_q: Questionnaire, write, text: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswersFileError) as exc:
        load_answers_file(write(text), sample_q)
    assert any(needle in p for p in exc.value.problems), exc.value.problems


def test_unreadable_files(sample_q: Questionnaire, tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError) as exc:
        load_answers_file(tmp_path / "missing.yaml", sample_q)
    assert exc.value.problems == ["cannot read the file: No such file or directory"]
    with pytest.raises(AnswersFileError) as exc:
        load_answers_file(tmp_path, sample_q)
    assert exc.value.problems[0].startswith("cannot read the file")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("profile: {country: 'Å'}\n".encode("latin-1"))
    with pytest.raises(AnswersFileError) as exc:
        load_answers_file(latin1, sample_q)
    assert exc.value.problems == ["cannot read the file: it is not UTF-8 text"]


def test_profile_problems_without_questionnaire() -> None:
    assert profile_problems({"size_band": "small", "nis2_sector": "anything"}) == []
    assert profile_problems({"size_band": "small", "country": "", "sector": "", "personal_data": None}) == []
    assert profile_problems("micro") == ["profile: must be a mapping of fields (country, sector, size_band, ...)"]
    assert profile_problems({"size_band": "small", "employees": True})  # a boolean is no head count
