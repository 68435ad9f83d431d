"""The needs-survey template and the official figures to compare with (``catalog/surveys/``).

    t = load_survey_template()                       # packaged, validated once per process (all 4 languages)
    t = load_survey_template(tmp_dir)                # a test copy; translations optional, English fallback
    t.option_label("measures", "E_SECMVPN", "sv")
    definition = t.as_definition()                   # JSON that a campaign freezes (every text, every language)
    t = template_from_definition(campaign.definition)  # the same API over a frozen campaign
    figures = load_official_figures()                # checked against the packaged template

A campaign freezes ``as_definition()``: lists keep the order of sections, questions and options, because
PostgreSQL's jsonb does not keep the order of object keys. Every problem of the files is reported at once
(``SurveyTemplateError.problems`` / ``OfficialFiguresError.problems``, one line each, naming file and id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ._textfiles import Collector, DataError, Localized, localized_from_json, text_of
from .languages import SUPPORTED_LANGUAGES

SURVEYS_DIR = Path(__file__).parent / "surveys"
TEMPLATE_FILE, FIGURES_FILE = "template.yaml", "official_figures.yaml"

KINDS = ("single", "multi")
DIMENSIONS = ("country", "sector", "size_band")
# the widths of the Response columns the three dimension answers are stored in (surveys/models.py)
DIMENSION_MAX_LENGTH = {"country": 8, "sector": 2, "size_band": 10}
# a response stores its options as bits: 4 columns x 40 bits (surveys/models.py MAX_OPTIONS)
MAX_OPTIONS = 160

# what the packaged template must ask (issue 5); a test template only has to be well formed
SECTION_IDS = ("profile", "measures", "incidents", "support", "preferences")
QUESTION_IDS = ("country", "sector", "size_band", "builds_software", "measures", "awareness", "documents",
                "security_work", "incidents", "support_training", "support_needs", "language", "format")
EUROSTAT_MEASURES = ("E_SECMSPSW", "E_SECMUIBM", "E_SECMDUO", "E_SECMDENC", "E_SECMOSBU", "E_SECMNAC",
                     "E_SECMVPN", "E_SECMSMS", "E_SECMLOG", "E_SECMRASS", "E_SECMTST")
# as in Eurostat's codelist (isoc_cisce_ra); the questionnaire uses the same codes
EUROSTAT_AWARENESS = ("E_SECAWVTGI", "E_SECAWCTP", "E_SECAWCONT")
EUROSTAT_INCIDENTS = ("E_SEC2IUSVA", "E_SEC2IUSVF", "E_SEC2IDCDA", "E_SEC2IDCDF", "E_SEC2ICNFA", "E_SEC2ICNFF")
EUROSTAT_WORK = {"own_staff": "E_ITSEC3OWN", "external_provider": "E_ITSEC3EXT"}
COUNTRIES = ("SE", "LV", "LT", "EE", "FI", "DK", "PL", "DE", "NO", "other")
NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
SIZE_BANDS = ("micro", "small", "medium", "large")
INCIDENT_KINDS = ("malware", "spam", "phishing", "ransomware", "invoice_fraud")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_OPTION = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CODE = re.compile(r"^E_[A-Z0-9]+$")
_INDICATOR = re.compile(r"^(?P<question>[a-z][a-z0-9_]*)\.(?P<option>[A-Za-z][A-Za-z0-9_]*)$")
_URL = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")


class SurveyTemplateError(DataError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("the survey template", problems)


class OfficialFiguresError(DataError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("the official figures", problems)


# ---- the template -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionText:
    title: str
    intro: str


@dataclass(frozen=True, slots=True)
class QuestionText:
    question: str
    help: str


@dataclass(frozen=True, slots=True)
class OptionText:
    label: str


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    order: int
    texts: Localized[SectionText]


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    id: str
    section: str
    order: int  # 1.. in the template
    kind: str  # single: exactly one option; multi: at least one
    dimension: str | None  # country | sector | size_band: a statistics dimension (profile questions)
    fixed: bool  # a campaign cannot leave it out
    exclusive: str | None  # multi: the option that excludes the others ("none")
    options: tuple[str, ...]
    eurostat: Mapping[str, str]  # option id -> Eurostat indicator code
    texts: Localized[QuestionText]
    option_texts: Mapping[str, Localized[OptionText]]

    def option_label(self, option: str, lang: str | None = None) -> str:
        return self.option_texts[option].get(lang).label

    @property
    def has_any(self) -> bool:
        """Whether "<question>.any" is an indicator: a multi question with an exclusive option."""
        return self.kind == "multi" and self.exclusive is not None


@dataclass(frozen=True, slots=True)
class SurveyTemplate:
    version: str
    sections: Mapping[str, Section]  # in order
    questions: Mapping[str, SurveyQuestion]  # in order, grouped by section

    def question(self, qid: str) -> SurveyQuestion:
        return self.questions[qid]

    def question_text(self, qid: str, lang: str | None = None) -> QuestionText:
        return self.questions[qid].texts.get(lang)

    def option_label(self, qid: str, oid: str, lang: str | None = None) -> str:
        return self.questions[qid].option_label(oid, lang)

    def dimension_question(self, dimension: str) -> SurveyQuestion:
        for q in self.questions.values():
            if q.dimension == dimension:
                return q
        raise KeyError(dimension)

    def indicators(self) -> list[str]:
        """Every "question.option" and "question.any" indicator, in template order."""
        result: list[str] = []
        for q in self.questions.values():
            result += [f"{q.id}.{o}" for o in q.options]
            if q.has_any:
                result.append(f"{q.id}.any")
        return result

    def as_definition(self) -> dict[str, Any]:
        """The whole template as JSON-serialisable data (lists keep the order; every text in every language)."""
        return {
            "version": self.version,
            "languages": [lang for lang in SUPPORTED_LANGUAGES
                          if all(lang in q.texts.languages() for q in self.questions.values())],
            "sections": [
                {"id": s.id, "order": s.order, "title": s.texts.field("title"), "intro": s.texts.field("intro")}
                for s in self.sections.values()
            ],
            "questions": [
                {
                    "id": q.id, "section": q.section, "kind": q.kind, "dimension": q.dimension, "fixed": q.fixed,
                    "exclusive": q.exclusive, "eurostat": dict(q.eurostat),
                    "question": q.texts.field("question"), "help": q.texts.field("help"),
                    "options": [{"id": o, "label": q.option_texts[o].field("label")} for o in q.options],
                }
                for q in self.questions.values()
            ],
        }


    def text_rows(self) -> list[dict[str, str | None]]:
        """One row per text field ({kind, id, field, en, sv, lv, lt}) for ``smecyber catalog export --format csv``."""
        rows: list[dict[str, str | None]] = []
        for s in self.sections.values():
            rows += [{"kind": "survey_section", "id": s.id, "field": f, **s.texts.field(f)} for f in ("title", "intro")]
        for q in self.questions.values():
            rows += [{"kind": "survey_question", "id": q.id, "field": f, **q.texts.field(f)}
                     for f in ("question", "help")]
            rows += [{"kind": "survey_option", "id": f"{q.id}.{o}", "field": "label",
                      **q.option_texts[o].field("label")} for o in q.options]
        return rows


def template_from_definition(definition: Mapping[str, Any]) -> SurveyTemplate:
    """The SurveyTemplate of a frozen ``as_definition()`` (trusted: it was validated when it was frozen)."""
    sections = {
        s["id"]: Section(s["id"], s["order"], localized_from_json(SectionText, {"title": s["title"],
                                                                              "intro": s["intro"]}))
        for s in definition["sections"]
    }
    questions = {}
    for order, q in enumerate(definition["questions"], start=1):
        questions[q["id"]] = SurveyQuestion(
            id=q["id"], section=q["section"], order=order, kind=q["kind"], dimension=q["dimension"],
            fixed=q["fixed"], exclusive=q["exclusive"], options=tuple(o["id"] for o in q["options"]),
            eurostat=dict(q["eurostat"]),
            texts=localized_from_json(QuestionText, {"question": q["question"], "help": q["help"]}),
            option_texts={o["id"]: localized_from_json(OptionText, {"label": o["label"]}) for o in q["options"]},
        )
    return SurveyTemplate(version=definition["version"], sections=sections, questions=questions)


def load_survey_template(directory: Path | str | None = None, *, strict: bool | None = None) -> SurveyTemplate:
    """Load and validate ``template.yaml`` (+ translations). The packaged template is loaded once per
    process, must have every language and must ask what issue 5 asks (``coverage``). A directory given is
    checked for form only and may lack translations, unless ``strict=True``."""
    if directory is None:
        return _packaged_template()
    strict = bool(strict)
    return _TemplateLoader(Path(directory), strict=strict, coverage=strict).load()


@cache
def _packaged_template() -> SurveyTemplate:
    return _TemplateLoader(SURVEYS_DIR, strict=True, coverage=True).load()


class _TemplateLoader:
    def __init__(self, directory: Path, *, strict: bool, coverage: bool) -> None:
        self.c = Collector(directory)
        self.strict = strict
        self.coverage = coverage

    def problem(self, message: str) -> None:
        self.c.problem(message)

    def load(self) -> SurveyTemplate:
        if not self.c.dir.is_dir():
            raise SurveyTemplateError([f"{self.c.dir}: not a directory"])
        self.c.unexpected_files(("template", "official_figures"))
        raw = self.c.read(TEMPLATE_FILE)
        template = None
        if raw is not None and self.c.fields(TEMPLATE_FILE, raw, ("version", "sections", "questions")):
            version = self._version(raw["version"])
            sections = self._sections(raw["sections"])
            questions = self._questions(raw["questions"], sections, raw["sections"])
            template = SurveyTemplate(version=version, sections=sections, questions=questions)
        self.c.translations("template", self.strict)
        if template is not None and not self.c.problems and self.coverage:
            for p in coverage_problems(template):
                self.problem(p)
        if self.c.problems or template is None:
            raise SurveyTemplateError(self.c.problems)
        return template

    def _version(self, version: Any) -> str:
        if not isinstance(version, str) or not version.strip() or any(ch.isspace() for ch in version):
            self.problem(f"{TEMPLATE_FILE}: version must be a quoted string such as \"2026.1\", not {version!r}")
            return ""
        return version

    def _sections(self, raw: Any) -> dict[str, Section]:
        if not isinstance(raw, dict) or not raw:
            self.problem(f"{TEMPLATE_FILE}: sections must be a non-empty mapping of section ids")
            return {}
        found: list[Section] = []
        orders: dict[int, str] = {}
        for sid, item in raw.items():
            if not self.c.ident(f"{TEMPLATE_FILE}: sections", sid, _ID, "profile (lower case, digits, _)"):
                continue
            where = f"{TEMPLATE_FILE}: sections.{sid}"
            texts = self.c.text("template", ("sections", sid), where, text_of(item), SectionText)
            if not self.c.fields(where, item, ("order", "text")):
                continue
            order = item["order"]
            if not isinstance(order, int) or isinstance(order, bool):
                self.problem(f"{where}: order must be a whole number, not {order!r}")
            elif order in orders:
                self.problem(f"{where}: order {order} is also the order of {orders[order]}")
            else:
                orders[order] = sid
                found.append(Section(sid, order, texts))
        return {s.id: s for s in sorted(found, key=lambda s: s.order)}

    def _questions(self, raw: Any, sections: dict[str, Section], raw_sections: Any) -> dict[str, SurveyQuestion]:
        if not isinstance(raw, dict) or not raw:
            self.problem(f"{TEMPLATE_FILE}: questions must be a non-empty mapping of question ids")
            return {}
        named_sections = set(raw_sections) if isinstance(raw_sections, dict) else set()
        questions: dict[str, SurveyQuestion] = {}
        dimensions: dict[str, str] = {}
        codes: dict[str, str] = {}
        last: tuple[int, str] | None = None
        total = 0
        for order, (qid, item) in enumerate(raw.items(), start=1):
            if not self.c.ident(f"{TEMPLATE_FILE}: questions", qid, _ID, "measures (lower case, digits, _)"):
                continue
            where = f"{TEMPLATE_FILE}: questions.{qid}"
            texts = self.c.text("template", ("questions", qid), where, text_of(item), QuestionText)
            option_texts = self._option_texts(qid, item)
            if not self.c.fields(where, item, ("section", "kind", "options", "text", "options_text"),
                                 ("dimension", "fixed", "exclusive", "eurostat")):
                continue
            before = len(self.c.problems)
            section, kind = item["section"], item["kind"]
            if section not in named_sections:
                self.problem(f"{where}: section {section!r} is not in sections")
            elif section in sections:
                position = (sections[section].order, section)
                if last is not None and position < last:
                    self.problem(f"{where}: questions must be grouped by section in the order of sections; this "
                                 f"{section} question comes after {last[1]} questions")
                last = max(position, last or position)
            if kind not in KINDS:
                self.problem(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            options = self._options(where, item["options"])
            total += len(options)
            fixed = item.get("fixed", False)
            if not isinstance(fixed, bool):
                self.problem(f"{where}: fixed must be true or false, not {fixed!r}")
            exclusive = item.get("exclusive")
            if exclusive is not None:
                if kind != "multi":
                    self.problem(f"{where}: exclusive is only for multi questions")
                elif exclusive not in options:
                    self.problem(f"{where}: exclusive {exclusive!r} is not one of its options")
            dimension = item.get("dimension")
            if dimension is not None:
                self._dimension(where, qid, dimension, item, options, dimensions)
            eurostat = self._eurostat(where, qid, item.get("eurostat"), options, exclusive, codes)
            self._options_text_keys(where, item["options_text"], options)
            if len(self.c.problems) == before:
                questions[qid] = SurveyQuestion(
                    id=qid, section=section, order=order, kind=kind, dimension=dimension, fixed=fixed,
                    exclusive=exclusive, options=options, eurostat=eurostat, texts=texts,
                    option_texts={o: option_texts[o] for o in options},
                )
        for dimension in DIMENSIONS:
            if dimension not in dimensions:
                self.problem(f"{TEMPLATE_FILE}: no question has dimension {dimension!r} (the statistics need "
                             f"{', '.join(DIMENSIONS)})")
        if total > MAX_OPTIONS:
            self.problem(f"{TEMPLATE_FILE}: the questions have {total} options in all; a response can store "
                         f"at most {MAX_OPTIONS}")
        return questions

    def _options(self, where: str, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(o, str) for o in raw):
            self.problem(f"{where}: options must be a list of option ids (quote ids such as \"no\" or \"NO\", "
                         f"which YAML reads as false)")
            return ()
        if len(raw) < 2:
            self.problem(f"{where}: options must list at least two options")
        for o in raw:
            if not _OPTION.match(o):
                self.problem(f"{where}: option {o!r} must look like yes, E_SECMVPN or SE (letters, digits, _)")
        if len(set(raw)) != len(raw):
            self.problem(f"{where}: options list an option twice")
        return tuple(dict.fromkeys(raw))

    def _dimension(self, where: str, qid: str, dimension: Any, item: dict[Any, Any], options: tuple[str, ...],
                   dimensions: dict[str, str]) -> None:
        if dimension not in DIMENSIONS:
            self.problem(f"{where}: dimension {dimension!r} is not one of {', '.join(DIMENSIONS)}")
            return
        if dimension in dimensions:
            self.problem(f"{where}: dimension {dimension!r} is also the dimension of {dimensions[dimension]}")
        dimensions[dimension] = qid
        if item["kind"] != "single":
            self.problem(f"{where}: a dimension question must be single (one value per response)")
        if item.get("fixed") is not True:
            self.problem(f"{where}: a dimension question must be fixed: true (the statistics need it)")
        for o in options:
            if len(o) > DIMENSION_MAX_LENGTH[dimension]:
                self.problem(f"{where}: option {o!r} is longer than the {DIMENSION_MAX_LENGTH[dimension]} "
                             f"characters a response stores for {dimension}")

    def _eurostat(self, where: str, qid: str, raw: Any, options: tuple[str, ...], exclusive: Any,
                  codes: dict[str, str]) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(f"{where}: eurostat must be a mapping of option id -> Eurostat code")
            return {}
        result: dict[str, str] = {}
        for option, code in raw.items():
            if option not in options:
                self.problem(f"{where}: eurostat: {option!r} is not one of its options")
            elif option == exclusive:
                self.problem(f"{where}: eurostat: the exclusive option {option!r} cannot map to an indicator")
            elif not isinstance(code, str) or not _CODE.match(code):
                self.problem(f"{where}: eurostat: {option}: {code!r} is not a Eurostat code like E_SECMVPN")
            elif code in codes:
                self.problem(f"{where}: eurostat: {code} is also mapped by {codes[code]}")
            else:
                codes[code] = f"{qid}.{option}"
                result[option] = code
        return result

    def _option_texts(self, qid: str, item: Any) -> dict[str, Localized[OptionText]]:
        raw = item.get("options_text") if isinstance(item, dict) else None
        if not isinstance(raw, dict):
            return {}
        result = {}
        for oid, entry in raw.items():
            if not isinstance(oid, str):
                continue  # reported by _options_text_keys
            where = f"{TEMPLATE_FILE}: questions.{qid}.options_text.{oid}"
            result[oid] = self.c.text("template", ("questions", qid, "options_text", oid), where, text_of(entry),
                                      OptionText)
            if isinstance(entry, dict):
                self.c.fields(where, entry, ("text",))
            else:
                self.problem(f"{where}: must be a mapping with text: {{label}}")
        return result

    def _options_text_keys(self, where: str, raw: Any, options: tuple[str, ...]) -> None:
        if not isinstance(raw, dict):
            self.problem(f"{where}: options_text must be a mapping of option id -> {{text: {{label}}}}")
            return
        for oid in raw:
            if oid not in options:
                self.problem(f"{where}: options_text: {oid!r} is not one of its options")
        for oid in options:
            if oid not in raw:
                self.problem(f"{where}: options_text: option {oid!r} has no label")


def coverage_problems(t: SurveyTemplate) -> list[str]:
    """What the packaged template must ask (issue 5) beyond being well formed."""
    problems: list[str] = []

    def expect(cond: bool, message: str) -> None:
        if not cond:
            problems.append(f"coverage: {message}")

    expect(tuple(t.sections) == SECTION_IDS, f"the sections must be {', '.join(SECTION_IDS)} in this order")
    missing = [q for q in QUESTION_IDS if q not in t.questions]
    expect(not missing, f"questions missing: {', '.join(missing)}")
    if missing:
        return problems
    q = t.questions
    for qid, dim in (("country", "country"), ("sector", "sector"), ("size_band", "size_band")):
        expect(q[qid].dimension == dim, f"{qid} must have dimension {dim}")
    expect(q["country"].options == COUNTRIES, f"country options must be {', '.join(COUNTRIES)}")
    expect(q["sector"].options == NACE_SECTIONS, "sector options must be the NACE sections A..U")
    expect(q["size_band"].options == SIZE_BANDS, f"size_band options must be {', '.join(SIZE_BANDS)}")
    for qid, q_ in q.items():
        if q_.section == "profile":
            expect(q_.fixed, f"{qid}: profile questions must be fixed")
    for qid in ("measures", "awareness", "security_work", "incidents", "support_training", "support_needs"):
        expect(q[qid].kind == "multi" and q[qid].exclusive == "none",
               f"{qid}: must be multi with the exclusive option 'none'")
    measures = q["measures"]
    expect(measures.kind == "multi" and measures.options == (*EUROSTAT_MEASURES, "none")
           and measures.exclusive == "none", "measures must be multi with the eleven E_SECM* options and none")
    expect(dict(measures.eurostat) == {c: c for c in EUROSTAT_MEASURES},
           "measures: eurostat must map every E_SECM* option to its own code")
    awareness = q["awareness"]
    expect(awareness.kind == "multi" and awareness.options == (*EUROSTAT_AWARENESS, "none")
           and dict(awareness.eurostat) == {c: c for c in EUROSTAT_AWARENESS},
           f"awareness must be multi with {' '.join(EUROSTAT_AWARENESS)} (mapped to themselves) and none")
    documents = q["documents"]
    expect(documents.kind == "single" and documents.options == ("yes", "no")
           and dict(documents.eurostat) == {"yes": "E_SECPOL2"}, "documents must be yes/no with yes -> E_SECPOL2")
    work = q["security_work"]
    expect(work.options == (*EUROSTAT_WORK, "none") and dict(work.eurostat) == EUROSTAT_WORK,
           "security_work must be own_staff (E_ITSEC3OWN), external_provider (E_ITSEC3EXT) and none")
    incidents = q["incidents"]
    expect(incidents.options[:len(EUROSTAT_INCIDENTS)] == EUROSTAT_INCIDENTS
           and dict(incidents.eurostat) == {c: c for c in EUROSTAT_INCIDENTS},
           f"incidents must start with Eurostat's categories {' '.join(EUROSTAT_INCIDENTS)} (mapped to themselves)")
    absent = [k for k in INCIDENT_KINDS if k not in incidents.options]
    expect(not absent, f"incidents lacks {', '.join(absent)}")
    expect("en" in q["language"].options and all(lang in q["language"].options for lang in SUPPORTED_LANGUAGES),
           "language must offer at least the platform's languages")
    return problems


# ---- official figures -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PopulationText:
    note: str


@dataclass(frozen=True, slots=True)
class FigureSource:
    id: str
    title: str
    publisher: str
    year: int  # the survey year (Eurostat's 2024 survey asks about 2023 for incidents)
    url: str
    population: Localized[PopulationText]


@dataclass(frozen=True, slots=True)
class OfficialFigures:
    sources: Mapping[str, FigureSource]
    figures: Mapping[str, Mapping[str, float]]  # source id -> indicator ("question.option" / ".any") -> percent

    def for_indicator(self, indicator: str) -> dict[str, float]:
        """source id -> percent for one indicator (sources without it left out)."""
        return {s: f[indicator] for s, f in self.figures.items() if indicator in f}

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": [{"id": s.id, "title": s.title, "publisher": s.publisher, "year": s.year, "url": s.url,
                         "population": s.population.field("note")} for s in self.sources.values()],
            "figures": {sid: dict(f) for sid, f in self.figures.items()},
        }

    def text_rows(self) -> list[dict[str, str | None]]:
        return [{"kind": "official_figures_source", "id": s.id, "field": "population", **s.population.field("note")}
                for s in self.sources.values()]


def load_official_figures(directory: Path | str | None = None, *, template: SurveyTemplate | None = None,
                          strict: bool | None = None) -> OfficialFigures:
    """Load and validate ``official_figures.yaml``; every indicator must name an option of ``template`` (the
    packaged one by default) or "<question>.any" of a multi question with an exclusive option."""
    if directory is None and template is None:
        return _packaged_figures()
    if template is None:
        template = load_survey_template()
    if directory is None:
        return _FiguresLoader(SURVEYS_DIR, template, strict=True).load()
    return _FiguresLoader(Path(directory), template, strict=bool(strict)).load()


@cache
def _packaged_figures() -> OfficialFigures:
    return _FiguresLoader(SURVEYS_DIR, load_survey_template(), strict=True).load()


class _FiguresLoader:
    def __init__(self, directory: Path, template: SurveyTemplate, *, strict: bool) -> None:
        self.c = Collector(directory)
        self.t = template
        self.strict = strict

    def load(self) -> OfficialFigures:
        where = FIGURES_FILE
        raw = self.c.read(FIGURES_FILE)
        sources: dict[str, FigureSource] = {}
        figures: dict[str, dict[str, float]] = {}
        if raw is not None and self.c.fields(where, raw, ("sources", "figures")):
            sources = self._sources(raw["sources"])
            figures = self._figures(raw["figures"], raw["sources"] if isinstance(raw["sources"], dict) else {})
        self.c.translations("official_figures", self.strict)
        if self.c.problems:
            raise OfficialFiguresError(self.c.problems)
        return OfficialFigures(sources=sources, figures=figures)

    def _sources(self, raw: Any) -> dict[str, FigureSource]:
        if not isinstance(raw, dict) or not raw:
            self.c.problem(f"{FIGURES_FILE}: sources must be a non-empty mapping of source ids")
            return {}
        result = {}
        for sid, item in raw.items():
            if not self.c.ident(f"{FIGURES_FILE}: sources", sid, _ID, "eurostat_eu27_2024"):
                continue
            where = f"{FIGURES_FILE}: sources.{sid}"
            population_raw = item.get("population") if isinstance(item, dict) else None
            population = self.c.text("official_figures", ("sources", sid, "population"), f"{where}.population",
                                     text_of(population_raw), PopulationText)
            if not self.c.fields(where, item, ("title", "publisher", "year", "url", "population")):
                continue
            ok = self.c.string(where, "title", item["title"])
            ok = self.c.string(where, "publisher", item["publisher"]) and ok
            ok = self.c.string(where, "url", item["url"], pattern=_URL, shape="https://host/path") and ok
            ok = self.c.fields(f"{where}.population", population_raw, ("text",)) and ok
            year = item["year"]
            if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
                self.c.problem(f"{where}: year must be a year such as 2024, not {year!r}")
                ok = False
            if ok:
                result[sid] = FigureSource(sid, item["title"].strip(), item["publisher"].strip(), year,
                                           item["url"].strip(), population)
        return result

    def _figures(self, raw: Any, raw_sources: dict[Any, Any]) -> dict[str, dict[str, float]]:
        if not isinstance(raw, dict):
            self.c.problem(f"{FIGURES_FILE}: figures must be a mapping of source id -> {{indicator: percent}}")
            return {}
        result: dict[str, dict[str, float]] = {}
        for sid, values in raw.items():
            where = f"{FIGURES_FILE}: figures.{sid}"
            if sid not in raw_sources:
                self.c.problem(f"{where}: not a source of sources")
                continue
            if not isinstance(values, dict) or not values:
                self.c.problem(f"{where}: must be a non-empty mapping of indicator -> percent")
                continue
            good: dict[str, float] = {}
            for indicator, percent in values.items():
                if self._indicator(where, indicator) and self._percent(where, indicator, percent):
                    good[indicator] = float(percent)
            result[sid] = good
        for sid in raw_sources:
            if sid not in raw:
                self.c.problem(f"{FIGURES_FILE}: sources.{sid}: has no figures")
        return result

    def _indicator(self, where: str, indicator: Any) -> bool:
        m = _INDICATOR.match(indicator) if isinstance(indicator, str) else None
        if m is None:
            self.c.problem(f"{where}: {indicator!r} must be \"question.option\" or \"question.any\"")
            return False
        question = self.t.questions.get(m["question"])
        if question is None:
            self.c.problem(f"{where}: {indicator}: {m['question']!r} is not a question of the template")
            return False
        option = m["option"]
        if option == "any":
            if not question.has_any:
                self.c.problem(f"{where}: {indicator}: \"any\" needs a multi question with an exclusive option")
                return False
        elif option not in question.options:
            self.c.problem(f"{where}: {indicator}: {option!r} is not an option of {question.id}")
            return False
        elif option == question.exclusive:
            self.c.problem(f"{where}: {indicator}: compare \"{question.id}.any\", not the exclusive option")
            return False
        return True

    def _percent(self, where: str, indicator: str, percent: Any) -> bool:
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            self.c.problem(f"{where}: {indicator}: {percent!r} is not a percentage from 0 to 100")
            return False
        return True
