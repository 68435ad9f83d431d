"""Load and validate the self-assessment questionnaire (``catalog/questionnaire/``).

    q = load_questionnaire()                  # packaged, validated once per process
    q = load_questionnaire(tmp_dir)           # a test questionnaire
    coverage_problems(q)                      # what the packaged questionnaire must also cover

The English files hold text and metadata; ``<file>.<lang>.yaml`` beside each holds the translated text at the
same id path (see /work/briefs/contracts.md). Like the findings catalog, every problem is collected and
reported at once (``QuestionnaireError.problems``, one line each, naming the file and the id), so a broken
file fails completely and early instead of one question at a time in front of a user.

The loader checks that the data is well formed and consistent; ``coverage_problems`` checks that the
questionnaire covers the frameworks it claims (a small test questionnaire passes the loader, not coverage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ._textfiles import FieldChecks
from .csf import load_csf
from .findings import EFFORTS, NIS2_LETTERS, _references
from .languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from .questionnaire_model import (
    LIKELIHOODS,
    NACE_SECTIONS,
    NIS2_SIZE_RULES,
    OWNERS,
    SIZE_BANDS,
    Area,
    AreaText,
    Condition,
    FrameworkItem,
    Nis2Sector,
    Question,
    Questionnaire,
    QuestionText,
    Recommendation,
    RecommendationText,
    Scale,
    Step,
    StepText,
    Texts,
)

QUESTIONNAIRE_DIR = Path(__file__).parent / "questionnaire"

AREA_IDS = ("governance", "assets", "access", "updates", "backups", "devices", "email_web", "people",
            "incidents", "suppliers", "development", "personal_data")
SEVERITIES = ("low", "medium", "high", "critical")  # a recommendation always matters ("none" is for findings)
WEIGHTS = (1, 2, 3)
STEP_VALUES: dict[str, float | None] = {"0": 0.0, "0.25": 0.25, "0.5": 0.5, "1": 1.0, "na": None}
SCALE_KEYS = {"practice": ("0", "0.25", "0.5", "1", "na"), "yesno": ("0", "1", "na")}
CRA_ITEMS = ("I.1", *(f"I.2.{c}" for c in "abcdefghijklm"), *(f"II.{n}" for n in range(1, 9)))
GDPR_ITEMS = ("32.1.a", "32.1.b", "32.1.c", "32.1.d", "32.2", "32.4")
EUROSTAT_MEASURES = ("E_SECMSPSW", "E_SECMUIBM", "E_SECMDUO", "E_SECMDENC", "E_SECMOSBU", "E_SECMNAC",
                     "E_SECMVPN", "E_SECMSMS", "E_SECMLOG", "E_SECMRASS", "E_SECMTST")  # the eleven measures
EUROSTAT_CODES = (*EUROSTAT_MEASURES, "E_SECAWVTGI", "E_SECAWCTP", "E_SECAWCONT", "E_SECPOL2")
CSF_FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")
FRAMEWORK_IDS: dict[str, tuple[str, ...]] = {
    "nis2": NIS2_LETTERS, "cra": CRA_ITEMS, "gdpr": GDPR_ITEMS, "eurostat": EUROSTAT_CODES,
}
MIN_QUESTIONS, MAX_QUESTIONS, MICRO_LIMIT = 40, 70, 30

STEMS = ("meta", "areas", "scales", "questions", "recommendations", "frameworks", "nis2_sectors")
# how deep the id path of a text node is in each file (and so in its translations)
TEXT_DEPTH = {"areas": 1, "scales": 2, "questions": 1, "recommendations": 1, "frameworks": 2, "nis2_sectors": 1}
TEXT_FIELDS = {
    "areas": ("title", "intro"), "scales": ("label", "meaning"), "questions": ("question", "help"),
    "recommendations": ("title", "why", "how"), "frameworks": ("title",), "nis2_sectors": ("title",),
}
ONE_LINE_FIELDS = ("title", "label")

_NAME = r"[a-z][a-z0-9_]*"
_ID = re.compile(rf"^{_NAME}$")
_QUESTION_ID = re.compile(rf"^({_NAME})\.{_NAME}$")
_REC_ID = re.compile(rf"^rec\.{_NAME}$")
_SECTOR_ID = re.compile(rf"^{_NAME}(\.{_NAME})*$")
_FILE_NAME = re.compile(r"^(?P<stem>[a-z0-9_]+)(\.(?P<lang>[a-z]{2,3}))?\.yaml$")
_STEP_LINE = re.compile(r"^(\d+)\. \S")
_LIST_CONDITIONS = {"size_band": SIZE_BANDS, "sector": NACE_SECTIONS}
_BOOL_CONDITIONS = ("builds_software", "places_products", "personal_data", "nis2_sector")


class QuestionnaireError(ValueError):
    """The questionnaire files are invalid; ``problems`` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"questionnaire has {len(problems)} problem(s):\n{shown}{more}")


def load_questionnaire(directory: Path | str | None = None) -> Questionnaire:
    """Load and validate the questionnaire; the packaged one is loaded once per process."""
    if directory is None:
        return _load_packaged()
    return _Loader(Path(directory)).load()


@cache
def _load_packaged() -> Questionnaire:
    return _Loader(QUESTIONNAIRE_DIR).load()


@dataclass
class _TextNode:
    """One ``text:`` mapping of an English file; translations fill ``by_lang`` (shared with the Texts)."""

    fields: tuple[str, ...]
    make: Callable[..., Any]
    by_lang: dict[str, Any]
    english: dict[str, str] | None  # None when the English text itself is broken


class _Loader(FieldChecks):
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.problems: list[str] = []
        self.nodes: dict[str, dict[tuple[str, ...], _TextNode]] = {s: {} for s in TEXT_DEPTH}
        self.loaded: set[str] = set()  # English files that parsed as a mapping
        self.recs_used: set[str] = set()  # recommendation ids named by questions (even broken ones)

    def problem(self, message: str) -> None:
        self.problems.append(message)

    # ---- files ----------------------------------------------------------------------------------------

    def load(self) -> Questionnaire:
        if not self.dir.is_dir():
            raise QuestionnaireError([f"{self.dir}: not a directory"])
        english: dict[str, dict[Any, Any]] = {}
        translations: dict[tuple[str, str], dict[Any, Any] | None] = {}
        for path in sorted(self.dir.glob("*.yaml")):
            m = _FILE_NAME.match(path.name)
            if not m or m["stem"] not in STEMS:
                self.problem(f"{path.name}: unexpected file; the files are {', '.join(s + '.yaml' for s in STEMS)} "
                             f"and their translations <file>.<lang>.yaml")
                continue
            stem, lang = m["stem"], m["lang"]
            if lang is not None and (lang not in SUPPORTED_LANGUAGES or lang == DEFAULT_LANGUAGE):
                self.problem(f"{path.name}: language {lang!r} is not one of the translated languages "
                             f"{', '.join(SUPPORTED_LANGUAGES[1:])}")
                continue
            if lang is not None and stem not in TEXT_DEPTH:
                self.problem(f"{path.name}: {stem}.yaml has no text to translate")
                continue
            data = self.yaml_mapping(path, "a mapping of ids")
            if lang is None:
                if data is not None:
                    english[stem] = data
                    self.loaded.add(stem)
            else:
                translations[(stem, lang)] = data
        for stem in STEMS:
            if stem not in english and not (self.dir / f"{stem}.yaml").exists():
                self.problem(f"{stem}.yaml: missing")
        q = self._build(english)
        for stem in TEXT_DEPTH:
            if stem not in self.loaded:
                continue
            for lang in SUPPORTED_LANGUAGES[1:]:
                if (stem, lang) not in translations:
                    if not self.nodes[stem]:
                        continue  # nothing to translate
                    self.problem(f"{stem}.{lang}.yaml: missing; it must translate {len(self.nodes[stem])} text(s)")
                elif translations[(stem, lang)] is not None:
                    self._translation(stem, lang, translations[(stem, lang)])
        if self.problems:
            raise QuestionnaireError(self.problems)
        return q

    def _build(self, english: dict[str, dict[Any, Any]]) -> Questionnaire:
        version = self._meta(english.get("meta", {}))
        frameworks = self._frameworks(english.get("frameworks", {}))
        areas = self._areas(english.get("areas", {}))
        scales = self._scales(english.get("scales", {}))
        # references are checked against the ids a file names, valid or not, so that one broken entry is one
        # problem and not one more for every question that refers to it
        named = {stem: {k for k in english.get(stem, {}) if isinstance(k, str)} for stem in self.loaded}
        fw_raw = english.get("frameworks", {})
        for fw in FRAMEWORK_IDS:
            items = fw_raw.get(fw)
            named[f"frameworks.{fw}"] = {k for k in items if isinstance(k, str)} if isinstance(items, dict) else set()
        questions = self._questions(english.get("questions", {}), areas, named)
        recommendations = self._recommendations(english.get("recommendations", {}))
        sectors = self._sectors(english.get("nis2_sectors", {}))
        return Questionnaire(
            version=version, areas=areas, scales=scales, questions=questions, recommendations=recommendations,
            frameworks=frameworks, nis2_sectors=sectors,
        )

    # ---- helpers --------------------------------------------------------------------------------------

    def _enum(self, where: str, name: str, value: Any, allowed: Iterable[Any]) -> bool:
        allowed = tuple(allowed)
        if value not in allowed:
            self.problem(f"{where}: {name} {value!r} is not one of {', '.join(str(a) for a in allowed)}")
            return False
        return True

    def _list(self, where: str, name: str, raw: Any, allowed: Iterable[str] | None = None,
              unknown: str = "does not exist") -> tuple[str, ...]:
        if raw is None:
            raw = []
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.problem(f"{where}: {name} must be a list of strings (quote ids like \"32.2\")")
            return ()
        if len(set(raw)) != len(raw):
            self.problem(f"{where}: {name} lists an item twice")
        if allowed is not None:
            allowed = set(allowed)
            for item in raw:
                if item not in allowed:
                    self.problem(f"{where}: {name}: {item!r} {unknown}")
        return tuple(dict.fromkeys(raw))

    def _text(self, file: str, stem: str, path: tuple[str, ...], where: str, raw: Any,
              make: Callable[..., Any]) -> Texts[Any]:
        """Validate an English ``text:`` mapping and register it for the translations (also when the entry
        or its text is broken, so its translations are not reported as unknown ids on top)."""
        fields = TEXT_FIELDS[stem]
        english = None if raw is _MISSING else self._text_values(where, raw, fields, "text")
        by_lang: dict[str, Any] = {}
        if english is not None:
            by_lang[DEFAULT_LANGUAGE] = make(**english)
        self.nodes[stem][path] = _TextNode(fields, make, by_lang, english)
        return Texts(by_lang)

    def _text_values(self, where: str, raw: Any, fields: tuple[str, ...], label: str,
                     english: dict[str, str] | None = None) -> dict[str, str] | None:
        if not isinstance(raw, dict):
            self.problem(f"{where}: {label} must be a mapping with {', '.join(fields)}")
            return None
        ok = True
        for name in fields:
            value = raw.get(name)
            if not isinstance(value, str) or not value.strip():
                self.problem(f"{where}: {label} {name!r} is missing or empty")
                ok = False
            elif name in ONE_LINE_FIELDS and "\n" in value.strip():
                self.problem(f"{where}: {label} {name!r} must be one line")
                ok = False
        for name in raw:
            if name not in fields:
                self.problem(f"{where}: unknown {label} field {name!r}")
                ok = False
        if not ok:
            return None
        values = {name: raw[name].strip() for name in fields}
        if "how" in values and not self._steps_ok(where, label, values["how"], english):
            return None
        return values

    def _steps_ok(self, where: str, label: str, how: str, english: dict[str, str] | None) -> bool:
        """``how`` is concrete numbered steps, one per line, as many in a translation as in English."""
        lines = [line.strip() for line in how.splitlines() if line.strip()]
        numbers = [int(m[1]) if (m := _STEP_LINE.match(line)) else None for line in lines]
        if numbers != list(range(1, len(lines) + 1)):
            self.problem(f"{where}: {label} 'how' must be numbered steps, one per line: \"1. ...\", \"2. ...\"")
            return False
        if english is not None and "how" in english:
            expected = len([line for line in english["how"].splitlines() if line.strip()])
            if expected != len(lines):
                self.problem(f"{where}: {label} 'how' has {len(lines)} step(s), the English text {expected}")
                return False
        return True

    def _condition(self, where: str, raw: Any) -> Condition | None:
        if raw is None:
            return Condition()
        if not isinstance(raw, dict):
            self.problem(f"{where}: must be a mapping of conditions "
                         f"({', '.join((*_LIST_CONDITIONS, *_BOOL_CONDITIONS))})")
            return None
        values: dict[str, Any] = {}
        ok = True
        for name, value in raw.items():
            if name in _LIST_CONDITIONS:
                allowed = _LIST_CONDITIONS[name]
                if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                    self.problem(f"{where}: {name} must be a non-empty list of {', '.join(allowed)}")
                    ok = False
                    continue
                bad = [v for v in value if v not in allowed]
                if bad:
                    self.problem(f"{where}: {name} {', '.join(map(repr, bad))} not one of {', '.join(allowed)}")
                    ok = False
                values[name] = frozenset(value)
            elif name in _BOOL_CONDITIONS:
                if not isinstance(value, bool):
                    self.problem(f"{where}: {name} must be true or false, not {value!r}")
                    ok = False
                values[name] = value
            else:
                self.problem(f"{where}: unknown condition {name!r} (use "
                             f"{', '.join((*_LIST_CONDITIONS, *_BOOL_CONDITIONS))})")
                ok = False
        return Condition(**values) if ok else None

    # ---- the files ------------------------------------------------------------------------------------

    def _meta(self, raw: dict[Any, Any]) -> str:
        if "meta" not in self.loaded or not self.fields("meta.yaml", raw, ("version",)):
            return ""
        version = raw["version"]
        if not isinstance(version, str) or not version.strip() or any(c.isspace() for c in version):
            self.problem(f"meta.yaml: version must be a quoted string such as \"2026.1\", not {version!r}")
            return ""
        return version

    def _frameworks(self, raw: dict[Any, Any]) -> dict[str, dict[str, FrameworkItem]]:
        result: dict[str, dict[str, FrameworkItem]] = {fw: {} for fw in FRAMEWORK_IDS}
        for fw, items in raw.items():
            if fw not in FRAMEWORK_IDS:
                self.problem(f"frameworks.yaml: {fw!r}: unknown framework; use {', '.join(FRAMEWORK_IDS)}")
                continue
            if not isinstance(items, dict):
                self.problem(f"frameworks.yaml: {fw}: must be a mapping of item ids")
                continue
            for item_id, item in items.items():
                where = f"frameworks.yaml: {fw}.{item_id}"
                if not isinstance(item_id, str):
                    self.problem(f"{where}: id must be a quoted string (\"32.2\", not 32.2)")
                    continue
                if item_id not in FRAMEWORK_IDS[fw]:
                    self.problem(f"{where}: not an item of {fw} ({', '.join(FRAMEWORK_IDS[fw])})")
                    continue
                texts = self._text("frameworks.yaml", "frameworks", (fw, item_id), where, _text_of(item), _title)
                if not self.fields(where, item, ("text",)):
                    continue
                result[fw][item_id] = FrameworkItem(fw, item_id, texts)
        return result

    def _areas(self, raw: dict[Any, Any]) -> dict[str, Area]:
        areas: list[Area] = []
        orders: dict[int, str] = {}
        for area_id, item in raw.items():
            where = f"areas.yaml: {area_id}"
            if not self.ident("areas.yaml", area_id, _ID, "governance"):
                continue
            texts = self._text("areas.yaml", "areas", (area_id,), where, _text_of(item), AreaText)
            if not self.fields(where, item, ("order", "software_only", "text")):
                continue
            order, software_only = item["order"], item["software_only"]
            ok = True
            if not isinstance(order, int) or isinstance(order, bool):
                self.problem(f"{where}: order must be a whole number, not {order!r}")
                ok = False
            elif order in orders:
                self.problem(f"{where}: order {order} is also the order of {orders[order]}")
                ok = False
            else:
                orders[order] = area_id
            if not isinstance(software_only, bool):
                self.problem(f"{where}: software_only must be true or false, not {software_only!r}")
                ok = False
            if ok:
                areas.append(Area(area_id, order, software_only, texts))
        return {a.id: a for a in sorted(areas, key=lambda a: a.order)}

    def _scales(self, raw: dict[Any, Any]) -> dict[str, Scale]:
        scales: dict[str, Scale] = {}
        for scale_id, item in raw.items():
            where = f"scales.yaml: {scale_id}"
            if not self.ident("scales.yaml", scale_id, _ID, "practice"):
                continue
            if not self.fields(where, item, ("steps",)):
                continue
            if not isinstance(item["steps"], list) or not item["steps"]:
                self.problem(f"{where}: steps must be a non-empty list of {{key, value, text}}")
                continue
            steps: list[Step] = []
            ok = True
            for i, step in enumerate(item["steps"]):
                step_where = f"{where}: step {i + 1}"
                if not self.fields(step_where, step, ("key", "value", "text")):
                    ok = False
                    continue
                key, value = step["key"], step["value"]
                if not isinstance(key, str) or key not in STEP_VALUES:
                    self.problem(f"{step_where}: key {key!r} is not one of "
                                 f"{', '.join(repr(k) for k in STEP_VALUES)} (quote it: \"0.5\")")
                    ok = False
                    continue
                step_where = f"{where}: step {key!r}"
                expected = STEP_VALUES[key]
                if (isinstance(value, bool) or not (value is None or isinstance(value, int | float))
                        or value != expected or (value is None) != (expected is None)):
                    self.problem(f"{step_where}: value must be {'null' if expected is None else expected}, "
                                 f"not {value!r}")
                    ok = False
                texts = self._text("scales.yaml", "scales", (scale_id, key), step_where, step["text"], StepText)
                steps.append(Step(key, expected, texts))
            keys = tuple(s.key for s in steps)
            if len(set(keys)) != len(keys):
                self.problem(f"{where}: a step key is listed twice")
                ok = False
            elif ok and scale_id in SCALE_KEYS and keys != SCALE_KEYS[scale_id]:
                self.problem(f"{where}: steps must be {', '.join(SCALE_KEYS[scale_id])} in this order, "
                             f"not {', '.join(keys)}")
                ok = False
            elif ok and keys != tuple(k for k in STEP_VALUES if k in keys):
                self.problem(f"{where}: steps must go from the lowest value up, with na last")
                ok = False
            if ok:
                scales[scale_id] = Scale(scale_id, tuple(steps))
        return scales

    def _questions(self, raw: dict[Any, Any], areas: dict[str, Area],
                   named: dict[str, set[str]]) -> dict[str, Question]:
        questions: dict[str, Question] = {}
        csf_ids = load_csf()
        last_area: tuple[int, str] | None = None
        for order, (qid, item) in enumerate(raw.items(), start=1):
            if not self.ident("questions.yaml", qid, _QUESTION_ID, "<area>.<name>, e.g. backups.offline_copy"):
                continue
            where = f"questions.yaml: {qid}"
            texts = self._text("questions.yaml", "questions", (qid,), where, _text_of(item), QuestionText)
            if not self.fields(where, item, ("area", "weight", "scale", "recommendations", "csf", "text"),
                                ("applies", "nis2", "cra", "gdpr", "eurostat")):
                continue
            before = len(self.problems)
            area, weight, scale = item["area"], item["weight"], item["scale"]
            if area != qid.split(".")[0]:
                self.problem(f"{where}: the id must start with its area {area!r} ({area}.<name>)")
            elif "areas" in named and area not in named["areas"]:
                self.problem(f"{where}: area {area!r} is not in areas.yaml")
            elif area in areas:
                position = (areas[area].order, area)
                if last_area is not None and position < last_area:
                    self.problem(f"{where}: questions must be grouped by area in the order of areas.yaml; "
                                 f"this {area} question comes after {last_area[1]} questions")
                last_area = max(position, last_area or position)
            if not isinstance(weight, int) or isinstance(weight, bool) or weight not in WEIGHTS:
                self.problem(f"{where}: weight {weight!r} is not one of 1, 2, 3")
            if "scales" in named and scale not in named["scales"]:
                self.problem(f"{where}: scale {scale!r} is not in scales.yaml")
            applies = self._condition(f"{where}: applies", item.get("applies"))
            recs = self._list(where, "recommendations", item["recommendations"], named.get("recommendations"),
                              "is not in recommendations.yaml")
            self.recs_used.update(recs)
            if not recs and (item["recommendations"] is None or isinstance(item["recommendations"], list)):
                self.problem(f"{where}: recommendations must name at least one rec.<name>")
            csf = self._list(where, "csf", item["csf"])
            if not csf and (item["csf"] is None or isinstance(item["csf"], list)):
                self.problem(f"{where}: csf must name at least one NIST CSF 2.0 subcategory")
            for csf_id in csf:
                if problem := csf_ids.problem(csf_id):
                    self.problem(f"{where}: {problem}")
            mapped: dict[str, tuple[str, ...]] = {}
            for fw in FRAMEWORK_IDS:
                ids = self._list(where, fw, item.get(fw), FRAMEWORK_IDS[fw],
                                 f"is not one of {', '.join(FRAMEWORK_IDS[fw])}")
                if "frameworks" in named:
                    for item_id in ids:
                        if item_id in FRAMEWORK_IDS[fw] and item_id not in named[f"frameworks.{fw}"]:
                            self.problem(f"{where}: {fw} item {item_id!r} is not in frameworks.yaml")
                mapped[fw] = ids
            if len(self.problems) == before and applies is not None:
                questions[qid] = Question(
                    id=qid, area=area, order=order, weight=weight, scale=scale, applies=applies,
                    recommendations=recs, csf=csf, nis2=mapped["nis2"], cra=mapped["cra"], gdpr=mapped["gdpr"],
                    eurostat=mapped["eurostat"], texts=texts,
                )
        return questions

    def _recommendations(self, raw: dict[Any, Any]) -> dict[str, Recommendation]:
        recs: dict[str, Recommendation] = {}
        catalog_keys = self._finding_keys()
        matched_by: dict[str, str] = {}  # finding key -> the recommendation whose prefix matches it
        for rec_id, item in raw.items():
            if not self.ident("recommendations.yaml", rec_id, _REC_ID, "rec.<name>, e.g. rec.offline_backup"):
                continue
            where = f"recommendations.yaml: {rec_id}"
            texts = self._text("recommendations.yaml", "recommendations", (rec_id,), where, _text_of(item),
                               RecommendationText)
            if not self.fields(where, item, ("severity", "likelihood", "effort", "owner", "text"),
                                ("raise_likelihood", "findings", "references")):
                continue
            before = len(self.problems)
            self._enum(where, "severity", item["severity"], SEVERITIES)
            self._enum(where, "likelihood", item["likelihood"], LIKELIHOODS)
            self._enum(where, "effort", item["effort"], EFFORTS)
            self._enum(where, "owner", item["owner"], OWNERS)
            raises: list[Condition] = []
            raw_raises = item.get("raise_likelihood") or []
            if not isinstance(raw_raises, list):
                self.problem(f"{where}: raise_likelihood must be a list of conditions")
                raw_raises = []
            for i, cond_raw in enumerate(raw_raises):
                cond = self._condition(f"{where}: raise_likelihood {i + 1}", cond_raw)
                if cond is not None and cond.empty:
                    self.problem(f"{where}: raise_likelihood {i + 1} is empty (it would always hold; "
                                 f"raise the likelihood itself instead)")
                elif cond is not None:
                    raises.append(cond)
            prefixes = self._list(where, "findings", item.get("findings"))
            for prefix in prefixes:
                self._prefix(where, rec_id, prefix, catalog_keys, matched_by)
            refs = _references(where, item.get("references") or [], self.problems)
            if rec_id not in self.recs_used and not prefixes and "questions" in self.loaded:
                self.problem(f"{where}: no question names this recommendation and it has no findings prefixes "
                             f"(unused: remove it or link it)")
            if len(self.problems) == before:
                recs[rec_id] = Recommendation(
                    id=rec_id, severity=item["severity"], likelihood=item["likelihood"],
                    raise_likelihood=tuple(raises), effort=item["effort"], owner=item["owner"], findings=prefixes,
                    references=refs, texts=texts,
                )
        return recs

    def _finding_keys(self) -> list[str] | None:
        from .findings import CatalogError, load_catalog

        try:
            return load_catalog().keys()
        except CatalogError as exc:
            self.problem(f"recommendations.yaml: cannot check findings prefixes: the findings catalog has "
                         f"{len(exc.problems)} problem(s) (run `smecyber catalog check`)")
            return None

    def _prefix(self, where: str, rec_id: str, prefix: str, keys: list[str] | None,
                matched_by: dict[str, str]) -> None:
        if keys is None:
            return
        matches = [k for k in keys if k.startswith(prefix)]
        if prefix not in keys and not prefix.endswith("."):
            self.problem(f"{where}: findings prefix {prefix!r} must be a finding key or end with '.' "
                         f"(\"mail.dmarc.\"), so it cannot match keys it was not meant for")
        elif not matches:
            self.problem(f"{where}: findings prefix {prefix!r} matches no key of the findings catalog")
        for key in matches:
            other = matched_by.setdefault(key, rec_id)
            if other != rec_id:
                self.problem(f"{where}: finding {key!r} is matched by {prefix!r} and also by a prefix of "
                             f"{other}; a finding may join only one recommendation")

    def _sectors(self, raw: dict[Any, Any]) -> dict[str, Nis2Sector]:
        sectors: dict[str, Nis2Sector] = {}
        for sector_id, item in raw.items():
            if not self.ident("nis2_sectors.yaml", sector_id, _SECTOR_ID, "energy or energy.electricity"):
                continue
            where = f"nis2_sectors.yaml: {sector_id}"
            texts = self._text("nis2_sectors.yaml", "nis2_sectors", (sector_id,), where, _text_of(item), _title)
            if not self.fields(where, item, ("annex", "size_rule", "text")):
                continue
            ok = self._enum(where, "annex", item["annex"], ("I", "II"))
            ok = self._enum(where, "size_rule", item["size_rule"], NIS2_SIZE_RULES) and ok
            if ok:
                sectors[sector_id] = Nis2Sector(sector_id, item["annex"], item["size_rule"], texts)
        return sectors

    # ---- translations ---------------------------------------------------------------------------------

    def _translation(self, stem: str, lang: str, data: dict[Any, Any]) -> None:
        file = f"{stem}.{lang}.yaml"
        nodes = self.nodes[stem]
        seen: set[tuple[str, ...]] = set()
        for path, raw in self._leaves(file, data, TEXT_DEPTH[stem]):
            where = f"{file}: {'.'.join(path)}"
            node = nodes.get(path)
            if node is None:
                self.problem(f"{where}: not an id of {stem}.yaml (a typo, or a removed {stem[:-1]}?)")
                continue
            seen.add(path)
            values = self._text_values(where, raw, node.fields, "text", node.english)
            if values is not None and node.english is not None:
                node.by_lang[lang] = node.make(**values)
        for path in nodes:
            if path not in seen:
                self.problem(f"{file}: {'.'.join(path)}: translation missing (needs {', '.join(nodes[path].fields)})")

    def _leaves(self, file: str, data: Any, depth: int,
                path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], Any]]:
        """The mappings at ``depth`` under ``data`` with their id paths (a translation mirrors its file)."""
        if depth == 0:
            yield path, data
            return
        if not isinstance(data, dict):
            self.problem(f"{file}: {'.'.join(path)}: must be a mapping of ids")
            return
        for key, value in data.items():
            if not isinstance(key, str):
                self.problem(f"{file}: {'.'.join((*path, repr(key)))}: id must be a quoted string (\"0.5\", not 0.5)")
                continue
            yield from self._leaves(file, value, depth - 1, (*path, key))


_MISSING = object()  # an entry without a text (reported as a missing field)


def _text_of(item: Any) -> Any:
    return item["text"] if isinstance(item, dict) and "text" in item else _MISSING


def _title(title: str) -> str:
    return title


# ---- coverage ----------------------------------------------------------------------------------------------


def coverage_problems(q: Questionnaire) -> list[str]:
    """What the packaged questionnaire must cover beyond being valid (issue 4): every NIS2 Art. 21(2) letter,
    every CSF 2.0 function, every CRA Annex I item in the software branch, the eleven Eurostat measures,
    40-70 questions, fewer than 30 for a micro company without software, and the fixed areas and items."""
    from ..methodology.applicability import applicable_questions  # lazy: the methodology builds on the catalog
    from ..methodology.profile import Profile

    problems: list[str] = []
    questions = list(q.questions.values())

    def missing(what: str, needed: Iterable[str], have: Iterable[str]) -> None:
        have = set(have)
        absent = [x for x in needed if x not in have]
        if absent:
            problems.append(f"coverage: {what}: {', '.join(absent)}")

    missing("areas.yaml lacks the areas", AREA_IDS, q.areas)
    if "development" in q.areas and not q.areas["development"].software_only:
        problems.append("coverage: the development area must be software_only")
    missing("scales.yaml lacks the scales", SCALE_KEYS, q.scales)
    for fw, ids in FRAMEWORK_IDS.items():
        missing(f"frameworks.yaml lacks {fw} items", ids, q.frameworks.get(fw, {}))
    missing("no question maps to NIS2 Art. 21(2) letters", NIS2_LETTERS, {x for qu in questions for x in qu.nis2})
    missing("no question maps to CSF 2.0 functions", CSF_FUNCTIONS,
            {c.split(".")[0] for qu in questions for c in qu.csf})
    software = [qu for qu in questions
                if (qu.area in q.areas and q.areas[qu.area].software_only) or qu.applies.places_products]
    missing("no development / places_products question maps to CRA Annex I items", CRA_ITEMS,
            {x for qu in software for x in qu.cra})
    missing("no question asks the Eurostat measures", EUROSTAT_MEASURES, {x for qu in questions for x in qu.eurostat})
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        problems.append(f"coverage: {len(questions)} questions; the questionnaire must have "
                        f"{MIN_QUESTIONS}-{MAX_QUESTIONS}")
    micro = applicable_questions(q, Profile(size_band="micro"))
    if len(micro) >= MICRO_LIMIT:
        problems.append(f"coverage: a micro company without software development gets {len(micro)} questions; "
                        f"it must get fewer than {MICRO_LIMIT}")
    annexes = {s.annex for s in q.nis2_sectors.values()}
    missing("nis2_sectors.yaml has no sector of NIS2 Annex", ("I", "II"), annexes)
    return problems
