"""Read a self-assessment answer file (YAML) for ``smecyber assess``; format in docs/methodology.md:

    profile: {country: LV, sector: G, size_band: micro, employees: 4, turnover_meur: 0.6, ...}
    answers: {governance.responsible: 0.5, backups.offline_copy: 1, people.training: na}

Every problem of a file is reported at once (``AnswersFileError.problems``, one line each): unreadable file,
invalid YAML, unknown fields, invalid profile values, unknown question ids, answers that are not a step of the
question's scale.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from smecyber.catalog._yaml import load_yaml_text
from smecyber.catalog.questionnaire_model import (
    NACE_SECTIONS,
    PERSONAL_DATA_KINDS,
    SIZE_BANDS,
    Question,
    Questionnaire,
)

from .profile import Profile

TOP_LEVEL = ("profile", "answers")
PROFILE_FIELDS = tuple(Profile.__dataclass_fields__)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class AnswersFileError(ValueError):
    """The answer file cannot be used; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def profile_problems(data: Any, q: Questionnaire | None = None) -> list[str]:
    """What is wrong with a profile mapping (empty list = valid). With ``q``, the NIS2 sector id is checked too."""
    if not isinstance(data, dict):
        return ["profile: must be a mapping of fields (country, sector, size_band, ...)"]
    problems: list[str] = []
    for name in data:
        if name not in PROFILE_FIELDS:
            problems.append(f"profile: unknown field {name!r} (known: {', '.join(PROFILE_FIELDS)})")
    country = data.get("country", "")
    if country not in ("", None) and not (isinstance(country, str) and _COUNTRY.match(country)):
        problems.append(f"profile: country {country!r} must be a two-letter ISO 3166 code such as LV")
    sector = data.get("sector", "")
    if sector not in ("", None) and not (isinstance(sector, str) and sector.upper() in NACE_SECTIONS):
        problems.append(f"profile: sector {sector!r} must be a NACE section letter A-U (or empty)")
    if "size_band" not in data:
        problems.append(f"profile: size_band is missing (one of {', '.join(SIZE_BANDS)})")
    elif data["size_band"] not in SIZE_BANDS:
        problems.append(f"profile: size_band {data['size_band']!r} is not one of {', '.join(SIZE_BANDS)}")
    employees = data.get("employees")
    if employees is not None and not (isinstance(employees, int) and not isinstance(employees, bool)
                                      and employees >= 0):
        problems.append(f"profile: employees {employees!r} must be a whole number of staff, 0 or more")
    for name in ("turnover_meur", "balance_sheet_meur"):
        value = data.get(name)
        if value is not None and not (_is_number(value) and value >= 0):
            problems.append(f"profile: {name} {value!r} must be a number of million euro, 0 or more")
    for name in ("builds_software", "places_products"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            problems.append(f"profile: {name} {value!r} must be true or false")
    kinds = data.get("personal_data") or []
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        problems.append(f"profile: personal_data must be a list of {', '.join(PERSONAL_DATA_KINDS)} (or [])")
    else:
        for kind in kinds:
            if kind not in PERSONAL_DATA_KINDS:
                problems.append(f"profile: personal_data {kind!r} is not one of {', '.join(PERSONAL_DATA_KINDS)}")
    nis2 = data.get("nis2_sector") or ""
    if not isinstance(nis2, str):
        problems.append(f"profile: nis2_sector {nis2!r} must be a NIS2 sector id (or empty)")
    elif nis2 and q is not None and nis2 not in q.nis2_sectors:
        problems.append(f"profile: nis2_sector {nis2!r} is not a NIS2 sector id (smecyber catalog export lists them)")
    return problems


def profile_from_data(data: dict[str, Any]) -> Profile:
    """A Profile from a mapping that ``profile_problems`` accepted (country and sector in upper case)."""
    return Profile(
        country=(data.get("country") or "").upper(),
        sector=(data.get("sector") or "").upper(),
        size_band=data["size_band"],
        employees=data.get("employees"),
        turnover_meur=None if data.get("turnover_meur") is None else float(data["turnover_meur"]),
        balance_sheet_meur=None if data.get("balance_sheet_meur") is None else float(data["balance_sheet_meur"]),
        builds_software=bool(data.get("builds_software", False)),
        places_products=bool(data.get("places_products", False)),
        personal_data=frozenset(data.get("personal_data") or ()),
        nis2_sector=data.get("nis2_sector") or "",
    )


def normalize_answer(q: Questionnaire, question: Question, raw: Any) -> str | None:
    """The step key ``raw`` stands for (0.5 -> "0.5", 1.0 -> "1", "NA" -> "na", true -> "1"), None if none."""
    scale = q.scale_of(question)
    if isinstance(raw, bool):
        raw = 1 if raw else 0
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.lower() in scale.keys:
            return raw.lower()
        try:
            raw = float(raw)
        except ValueError:
            return None
    if _is_number(raw):
        for step in scale.steps:
            if step.value is not None and abs(step.value - raw) < 1e-9:
                return step.key
    return None


def answers_problems(data: Any, q: Questionnaire) -> tuple[dict[str, str], list[str]]:
    """(answers as step keys, problems) of the ``answers`` mapping; a null answer means "not answered"."""
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, ["answers: must be a mapping of question id -> answer"]
    answers: dict[str, str] = {}
    problems: list[str] = []
    for qid, raw in data.items():
        question = q.questions.get(qid) if isinstance(qid, str) else None
        if question is None:
            problems.append(f"answers: {qid}: unknown question id")
            continue
        if raw is None:
            continue
        key = normalize_answer(q, question, raw)
        if key is None:
            allowed = ", ".join(q.scale_of(question).keys)
            problems.append(f"answers: {qid}: {raw!r} is not an answer of this question (one of {allowed})")
            continue
        answers[qid] = key
    return answers, problems


def parse_answers_document(data: Any, q: Questionnaire) -> tuple[Profile, dict[str, str]]:
    if not isinstance(data, dict):
        raise AnswersFileError(["the file must be a mapping with 'profile' and 'answers'"])
    problems = [f"unknown top-level key {k!r} (expected: profile, answers)" for k in data if k not in TOP_LEVEL]
    if "profile" not in data:
        problems.append("profile: missing (country, sector, size_band, ...)")
        profile_data: Any = {}
    else:
        profile_data = data["profile"]
        problems += profile_problems(profile_data, q)
    answers, answer_problems = answers_problems(data.get("answers"), q)
    problems += answer_problems
    if problems:
        raise AnswersFileError(problems)
    return profile_from_data(profile_data), answers


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"not valid YAML{where}: {what}"


MAX_FILE_BYTES = 10_000_000  # an answer file is a few kB; /dev/zero or a wrong file must not be read forever


def read_text_limited(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text, refusing more than ``limit`` bytes (OSError / UnicodeDecodeError as open() raises)."""
    with path.open("rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise OSError(f"larger than {limit // 1_000_000} MB; this is not an answer file")
    return raw.decode("utf-8")


def load_answers_file(path: str | Path, q: Questionnaire | None = None) -> tuple[Profile, dict[str, str]]:
    """The profile and answers (question id -> step key) of an answer file; ``q`` defaults to the packaged
    questionnaire. Raises :class:`AnswersFileError` listing every problem."""
    path = Path(path)
    try:
        data = load_yaml_text(read_text_limited(path))
    except OSError as exc:
        raise AnswersFileError([f"cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise AnswersFileError(["cannot read the file: it is not UTF-8 text"]) from None
    except yaml.YAMLError as exc:
        raise AnswersFileError([_yaml_problem(exc)]) from None
    except RecursionError:  # thousands of nested [ or {: PyYAML's parser recurses per level
        raise AnswersFileError(["not valid YAML: nested too deeply"]) from None
    if q is None:
        from smecyber.catalog.questionnaire import load_questionnaire

        q = load_questionnaire()
    return parse_answers_document(data, q)
