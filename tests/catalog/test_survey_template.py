"""The needs-survey template and the official figures (catalog/surveys/): the packaged data, and every
validation rule of the loader on a broken copy in tmp_path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from smecyber.catalog.survey_template import (
    EUROSTAT_MEASURES,
    MAX_OPTIONS,
    SURVEYS_DIR,
    OfficialFiguresError,
    SurveyTemplateError,
    load_official_figures,
    load_survey_template,
    template_from_definition,
)

LANGS = ("en", "sv", "lv", "lt")

# issue 5, "Comparison with official figures", exactly as listed
ISSUE_FIGURES = {
    "eurostat_eu27_2024": {
        "measures.any": 92.8, "measures.E_SECMSPSW": 83.7, "measures.E_SECMOSBU": 79.2, "measures.E_SECMNAC": 65.4,
        "measures.E_SECMVPN": 49.6, "measures.E_SECMLOG": 45.2, "documents.yes": 35.5, "awareness.any": 60.0,
        "incidents.any": 21.5,
    },
    "lithuania_2022": {
        "measures.any": 88.1, "measures.E_SECMSPSW": 71.0, "measures.E_SECMOSBU": 64.1, "measures.E_SECMNAC": 51.2,
        "measures.E_SECMVPN": 28.4, "measures.E_SECMDENC": 23.3, "measures.E_SECMTST": 23.3,
        "measures.E_SECMRASS": 22.2, "measures.E_SECMLOG": 19.1, "measures.E_SECMUIBM": 10.4, "awareness.any": 62.6,
    },
}


# ---- helpers ----------------------------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "surveys"
    shutil.copytree(SURVEYS_DIR, target)
    return target


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit(path: Path, change: Callable[[Any], Any]) -> None:
    """Change the parsed file in place (what ``change`` returns, e.g. a popped value, is ignored)."""
    data = read(path)
    change(data)
    write(path, data)


def template_problems(directory: Path, *, strict: bool = False) -> list[str]:
    with pytest.raises(SurveyTemplateError) as exc:
        load_survey_template(directory, strict=strict)
    return exc.value.problems


def figures_problems(directory: Path, *, strict: bool = False) -> list[str]:
    template = load_survey_template(directory)
    with pytest.raises(OfficialFiguresError) as exc:
        load_official_figures(directory, template=template, strict=strict)
    return exc.value.problems


def assert_problem(problems: list[str], expected: str) -> None:
    assert any(expected in p for p in problems), f"{expected!r} not in {problems}"


# ---- the packaged data ------------------------------------------------------------------------------------


def test_packaged_template_loads_in_every_language() -> None:
    t = load_survey_template()
    assert tuple(t.sections) == ("profile", "measures", "incidents", "support", "preferences")
    assert tuple(t.questions) == ("country", "sector", "size_band", "builds_software", "measures", "awareness",
                                  "documents", "security_work", "incidents", "support_training", "support_needs",
                                  "language", "format")
    for q in t.questions.values():
        assert q.texts.languages() == list(LANGS), q.id
        for o in q.options:
            labels = {lang: t.option_label(q.id, o, lang) for lang in LANGS}
            assert all(labels.values()), (q.id, o)
    assert t.option_label("measures", "E_SECMVPN", "sv").startswith("VPN")
    assert t.question_text("documents", "lt").question.startswith("Ar jūsų įmonė")
    assert sum(len(q.options) for q in t.questions.values()) <= MAX_OPTIONS


def test_every_eurostat_measure_is_an_option_mapped_to_its_code() -> None:
    measures = load_survey_template().question("measures")
    assert measures.kind == "multi" and measures.exclusive == "none"
    assert measures.options == (*EUROSTAT_MEASURES, "none")
    assert len(EUROSTAT_MEASURES) == 11 and all(c.startswith("E_SECM") for c in EUROSTAT_MEASURES)
    assert dict(measures.eurostat) == {code: code for code in EUROSTAT_MEASURES}


def test_eurostat_codes_of_awareness_documents_work_and_incidents() -> None:
    t = load_survey_template()
    assert dict(t.question("awareness").eurostat) == {c: c for c in ("E_SECAWVTGI", "E_SECAWCTP", "E_SECAWCONT")}
    assert dict(t.question("documents").eurostat) == {"yes": "E_SECPOL2"}
    assert dict(t.question("security_work").eurostat) == {"own_staff": "E_ITSEC3OWN",
                                                          "external_provider": "E_ITSEC3EXT"}
    incidents = t.question("incidents")
    assert [c for c in incidents.eurostat.values()] == ["E_SEC2IUSVA", "E_SEC2IUSVF", "E_SEC2IDCDA", "E_SEC2IDCDF",
                                                        "E_SEC2ICNFA", "E_SEC2ICNFF"]
    assert {"malware", "spam", "phishing", "ransomware", "invoice_fraud", "none"} <= set(incidents.options)


def test_profile_questions_are_the_fixed_statistics_dimensions() -> None:
    t = load_survey_template()
    assert {d: t.dimension_question(d).id for d in ("country", "sector", "size_band")} == {
        "country": "country", "sector": "sector", "size_band": "size_band"}
    assert t.question("country").options == ("SE", "LV", "LT", "EE", "FI", "DK", "PL", "DE", "NO", "other")
    assert t.question("sector").options == tuple("ABCDEFGHIJKLMNOPQRSTU")
    assert t.question("size_band").options == ("micro", "small", "medium", "large")
    assert all(q.fixed for q in t.questions.values() if q.section == "profile")
    assert not any(q.fixed for q in t.questions.values() if q.section != "profile")


def test_definition_is_json_with_every_text_and_rebuilds_the_same_template() -> None:
    t = load_survey_template()
    definition = t.as_definition()
    frozen = json.loads(json.dumps(definition))  # what a campaign's JSONField stores
    assert frozen == definition
    assert frozen["version"] == t.version and frozen["languages"] == list(LANGS)
    assert [q["id"] for q in frozen["questions"]] == list(t.questions)  # a list: jsonb does not keep key order
    country = frozen["questions"][0]
    assert country["dimension"] == "country" and country["fixed"] is True and country["kind"] == "single"
    assert country["options"][0] == {"id": "SE", "label": {"en": "Sweden", "sv": "Sverige", "lv": "Zviedrija",
                                                           "lt": "Švedija"}}
    measures = next(q for q in frozen["questions"] if q["id"] == "measures")
    assert measures["exclusive"] == "none" and set(measures["question"]) == set(LANGS)
    again = template_from_definition(frozen)
    assert again.as_definition() == definition
    assert again.option_label("incidents", "phishing", "lv") == t.option_label("incidents", "phishing", "lv")
    assert again.indicators() == t.indicators()
    assert "measures.any" in t.indicators() and "documents.any" not in t.indicators()


def test_official_figures_match_the_issue_exactly() -> None:
    f = load_official_figures()
    assert {sid: dict(values) for sid, values in f.figures.items()} == ISSUE_FIGURES
    eurostat, lithuania = f.sources["eurostat_eu27_2024"], f.sources["lithuania_2022"]
    assert (eurostat.publisher, eurostat.year) == ("Eurostat", 2024)
    assert eurostat.url.startswith("https://ec.europa.eu/eurostat/")
    assert (lithuania.publisher, lithuania.year) == ("Statistics Lithuania", 2022)
    assert lithuania.url.startswith("https://osp.stat.gov.lt/")
    note = eurostat.population.get("en").note
    assert "Eurostat covers enterprises with 10 or more employees" in note
    assert "micro companies, so the populations differ" in note
    assert all(s.population.languages() == list(LANGS) for s in f.sources.values())
    assert f.for_indicator("measures.E_SECMVPN") == {"eurostat_eu27_2024": 49.6, "lithuania_2022": 28.4}
    assert json.loads(json.dumps(f.as_dict()))["figures"] == ISSUE_FIGURES


def test_a_test_directory_may_lack_translations_and_falls_back_to_english(copy: Path) -> None:
    for lang in ("sv", "lv", "lt"):
        (copy / f"template.{lang}.yaml").unlink()
    t = load_survey_template(copy)
    assert t.option_label("country", "SE", "sv") == "Sweden"
    assert t.as_definition()["languages"] == ["en"]
    assert_problem(template_problems(copy, strict=True), "template.sv.yaml: missing; it must translate")


# ---- template validation: every rule has a failing case ----------------------------------------------------


def _q(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["questions"][name]


TEMPLATE_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("top-level field missing", lambda d: d.pop("sections"), "template.yaml: missing required field 'sections'"),
    ("top-level field unknown", lambda d: d.update(extra=1), "template.yaml: unknown field 'extra'"),
    ("version not a string", lambda d: d.update(version=2026.1), "version must be a quoted string"),
    ("sections empty", lambda d: d.update(sections={}), "sections must be a non-empty mapping"),
    ("section id", lambda d: d["sections"].update({"Bad-Id": d["sections"]["support"]}), "Bad-Id: id must look like"),
    ("section order type", lambda d: d["sections"]["support"].update(order="4"), "order must be a whole number"),
    ("section order twice", lambda d: d["sections"]["support"].update(order=1),
     "order 1 is also the order of profile"),
    ("section without text", lambda d: d["sections"]["support"].pop("text"),
     "sections.support: missing required field 'text'"),
    ("section title empty", lambda d: d["sections"]["support"]["text"].update(title=" "),
     "sections.support: text 'title' is missing or empty"),
    ("section title two lines", lambda d: d["sections"]["support"]["text"].update(title="a\nb"),
     "text 'title' must be one line"),
    ("unknown text field", lambda d: d["sections"]["support"]["text"].update(body="x"), "unknown text field 'body'"),
    ("questions empty", lambda d: d.update(questions=[]), "questions must be a non-empty mapping"),
    ("question id", lambda d: d["questions"].update({"Format": d["questions"].pop("format")}),
     "Format: id must look like"),
    ("question field unknown", lambda d: _q("format")(d).update(weight=2), "questions.format: unknown field 'weight'"),
    ("question field missing", lambda d: _q("format")(d).pop("kind"),
     "questions.format: missing required field 'kind'"),
    ("section unknown", lambda d: _q("format")(d).update(section="later"), "section 'later' is not in sections"),
    ("grouped by section", lambda d: d["questions"].update({"country": d["questions"].pop("country")}),
     "questions must be grouped by section"),
    ("kind", lambda d: _q("format")(d).update(kind="many"), "kind 'many' is not one of single, multi"),
    ("options unquoted no", lambda d: _q("documents")(d).update(options=["yes", False]),
     "options must be a list of option ids"),
    ("one option", lambda d: _q("format")(d).update(options=["workshop"], exclusive=None),
     "options must list at least two options"),
    ("option id", lambda d: _q("format")(d)["options"].append("two words"), "option 'two words' must look like"),
    ("option twice", lambda d: _q("format")(d)["options"].append("webinar"), "options list an option twice"),
    ("fixed type", lambda d: _q("format")(d).update(fixed="yes"), "fixed must be true or false"),
    ("exclusive on single", lambda d: _q("documents")(d).update(exclusive="no"),
     "exclusive is only for multi questions"),
    ("exclusive not an option", lambda d: _q("format")(d).update(exclusive="nothing"),
     "exclusive 'nothing' is not one of its options"),
    ("dimension unknown", lambda d: _q("builds_software")(d).update(dimension="software"),
     "dimension 'software' is not one of country, sector, size_band"),
    ("dimension twice", lambda d: _q("builds_software")(d).update(dimension="country"),
     "dimension 'country' is also the dimension of country"),
    ("dimension multi", lambda d: _q("size_band")(d).update(kind="multi"), "a dimension question must be single"),
    ("dimension not fixed", lambda d: _q("sector")(d).pop("fixed"), "a dimension question must be fixed: true"),
    ("dimension option too long", lambda d: (_q("sector")(d)["options"].append("ZZZ"),
                                             _q("sector")(d)["options_text"].update(ZZZ={"text": {"label": "Z"}})),
     "option 'ZZZ' is longer than the 2 characters"),
    ("dimension missing", lambda d: _q("size_band")(d).pop("dimension"),
     "no question has dimension 'size_band'"),
    ("eurostat not a mapping", lambda d: _q("documents")(d).update(eurostat=["E_SECPOL2"]),
     "eurostat must be a mapping of option id -> Eurostat code"),
    ("eurostat option unknown", lambda d: _q("documents")(d)["eurostat"].update(maybe="E_SECPOL3"),
     "eurostat: 'maybe' is not one of its options"),
    ("eurostat exclusive option", lambda d: _q("measures")(d)["eurostat"].update(none="E_SECMNONE"),
     "eurostat: the exclusive option 'none' cannot map to an indicator"),
    ("eurostat code shape", lambda d: _q("documents")(d)["eurostat"].update(yes="pol2"),
     "'pol2' is not a Eurostat code like E_SECMVPN"),
    ("eurostat code twice", lambda d: _q("documents")(d)["eurostat"].update(yes="E_SECMVPN"),
     "eurostat: E_SECMVPN is also mapped by measures.E_SECMVPN"),
    ("options_text not a mapping", lambda d: _q("format")(d).update(options_text=[]),
     "options_text must be a mapping of option id"),
    ("options_text unknown option", lambda d: _q("format")(d)["options_text"].update(podcast={"text": {"label": "P"}}),
     "options_text: 'podcast' is not one of its options"),
    ("options_text missing option", lambda d: _q("format")(d)["options_text"].pop("webinar"),
     "options_text: option 'webinar' has no label"),
    ("option label missing", lambda d: _q("format")(d)["options_text"].update(webinar={"label": "Webinar"}),
     "options_text.webinar: missing required field 'text'"),
    ("option label empty", lambda d: _q("format")(d)["options_text"]["webinar"]["text"].update(label=""),
     "options_text.webinar: text 'label' is missing or empty"),
    ("question help missing", lambda d: _q("format")(d)["text"].pop("help"), "text 'help' is missing or empty"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in TEMPLATE_CASES], ids=[c[0] for c in TEMPLATE_CASES])
def test_template_rule(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "template.yaml", change)
    assert_problem(template_problems(copy), expected)


def test_too_many_options_for_the_bits_of_a_response(copy: Path) -> None:
    def grow(d: dict[str, Any]) -> None:
        extra = [f"x{i}" for i in range(MAX_OPTIONS)]
        _q("support_needs")(d)["options"] += extra
        _q("support_needs")(d)["options_text"].update({o: {"text": {"label": o}} for o in extra})

    edit(copy / "template.yaml", grow)
    for lang in ("sv", "lv", "lt"):
        (copy / f"template.{lang}.yaml").unlink()
    assert_problem(template_problems(copy), f"a response can store at most {MAX_OPTIONS}")


def test_every_problem_is_reported_at_once(copy: Path) -> None:
    def break_two(d: dict[str, Any]) -> None:
        _q("format")(d).update(kind="many")
        d["sections"]["support"]["text"].update(title="")

    edit(copy / "template.yaml", break_two)
    problems = template_problems(copy)
    assert_problem(problems, "kind 'many'")
    assert_problem(problems, "sections.support: text 'title' is missing or empty")


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("template.yaml", "version: '1'\nversion: '2'\n", "template.yaml: not valid YAML"),  # duplicate key
    ("template.yaml", "questions: [unclosed\n", "template.yaml: not valid YAML"),
    ("template.yaml", "- a\n- list\n", "template.yaml: must be a mapping"),
    ("notes.yaml", "a: 1\n", "notes.yaml: unexpected file"),
    ("template.de.yaml", "{}\n", "language 'de' is not one of the translated languages"),
])
def test_files(copy: Path, name: str, content: str, expected: str) -> None:
    (copy / name).write_text(content, encoding="utf-8")
    assert_problem(template_problems(copy), expected)


def test_missing_template_and_missing_directory(copy: Path, tmp_path: Path) -> None:
    (copy / "template.yaml").unlink()
    assert_problem(template_problems(copy), "template.yaml: missing")
    assert template_problems(tmp_path / "nowhere")[0].endswith("nowhere: not a directory")


TRANSLATION_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("unknown id path", lambda d: d["questions"].update(budget={"question": "?", "help": "?"}),
     "template.sv.yaml: questions.budget: not an id path of the English file"),
    ("translation missing", lambda d: d["questions"].pop("format"),
     "template.sv.yaml: questions.format: translation missing"),
    ("option translation missing", lambda d: d["questions"]["format"]["options_text"].pop("webinar"),
     "template.sv.yaml: questions.format.options_text.webinar: translation missing"),
    ("field missing", lambda d: d["questions"]["format"].pop("help"),
     "template.sv.yaml: questions.format: text 'help' is missing or empty"),
    ("label two lines", lambda d: d["sections"]["support"].update(title="a\nb"), "text 'title' must be one line"),
    ("not a mapping", lambda d: d["sections"].update(support="Stöd"),
     "template.sv.yaml: sections.support: must be a mapping"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in TRANSLATION_CASES],
                         ids=[c[0] for c in TRANSLATION_CASES])
def test_translation_rule(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "template.sv.yaml", change)
    assert_problem(template_problems(copy), expected)


COVERAGE_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("a measure missing", lambda d: (_q("measures")(d)["options"].remove("E_SECMSMS"),
                                     _q("measures")(d)["options_text"].pop("E_SECMSMS"),
                                     _q("measures")(d)["eurostat"].pop("E_SECMSMS")),
     "coverage: measures must be multi with the eleven E_SECM* options and none"),
    ("documents not mapped", lambda d: _q("documents")(d).pop("eurostat"),
     "coverage: documents must be yes/no with yes -> E_SECPOL2"),
    ("incident kind missing", lambda d: (_q("incidents")(d)["options"].remove("invoice_fraud"),
                                         _q("incidents")(d)["options_text"].pop("invoice_fraud")),
     "coverage: incidents lacks invoice_fraud"),
    ("profile question not fixed", lambda d: _q("builds_software")(d).pop("fixed"),
     "coverage: builds_software: profile questions must be fixed"),
    ("a section missing", lambda d: (d["sections"].pop("preferences"), _q("language")(d).update(section="support"),
                                     _q("format")(d).update(section="support")),
     "coverage: the sections must be profile, measures, incidents, support, preferences in this order"),
    ("a question missing", lambda d: d["questions"].pop("format"), "coverage: questions missing: format"),
    ("dimension on another question", lambda d: (_q("country")(d).pop("dimension"),
                                                 _q("builds_software")(d).update(dimension="country")),
     "coverage: country must have dimension country"),
    ("a country missing", lambda d: (_q("country")(d)["options"].remove("EE"),
                                     _q("country")(d)["options_text"].pop("EE")),
     "coverage: country options must be SE, LV, LT, EE, FI, DK, PL, DE, NO, other"),
    ("awareness code missing", lambda d: (_q("awareness")(d)["options"].remove("E_SECAWCONT"),
                                          _q("awareness")(d)["options_text"].pop("E_SECAWCONT"),
                                          _q("awareness")(d)["eurostat"].pop("E_SECAWCONT")),
     "coverage: awareness must be multi with E_SECAWVTGI E_SECAWCTP E_SECAWCONT"),
    ("security work not mapped", lambda d: _q("security_work")(d).pop("eurostat"),
     "coverage: security_work must be own_staff (E_ITSEC3OWN)"),
    ("incident category not mapped", lambda d: _q("incidents")(d)["eurostat"].pop("E_SEC2ICNFF"),
     "coverage: incidents must start with Eurostat's categories"),
    ("support without none", lambda d: _q("support_training")(d).pop("exclusive"),
     "coverage: support_training: must be multi with the exclusive option 'none'"),
    ("a platform language missing", lambda d: (_q("language")(d)["options"].remove("lt"),
                                               _q("language")(d)["options_text"].pop("lt")),
     "coverage: language must offer at least the platform's languages"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in COVERAGE_CASES], ids=[c[0] for c in COVERAGE_CASES])
def test_coverage_rule_of_the_packaged_template(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "template.yaml", change)
    for lang in ("sv", "lv", "lt"):  # drop translations of what the change removed
        edit(copy / f"template.{lang}.yaml", lambda d: _drop_removed(d, read(copy / "template.yaml")))
    load_survey_template(copy)  # well formed: only the coverage of issue 5 fails
    assert_problem(template_problems(copy, strict=True), expected)


def _drop_removed(translation: dict[str, Any], english: dict[str, Any]) -> None:
    for group in ("sections", "questions"):
        for key in [k for k in translation[group] if k not in english[group]]:
            del translation[group][key]
    for qid, q in translation["questions"].items():
        for oid in list(q.get("options_text", {})):
            if oid not in english["questions"][qid]["options_text"]:
                del q["options_text"][oid]


# ---- official figures validation --------------------------------------------------------------------------


def _source(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["sources"][name]


FIGURE_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("top-level field", lambda d: d.pop("figures"), "official_figures.yaml: missing required field 'figures'"),
    ("sources empty", lambda d: d.update(sources={}), "sources must be a non-empty mapping"),
    ("source id", lambda d: d["sources"].update({"Eurostat 2024": {}}), "sources: Eurostat 2024: id must look like"),
    ("source field missing", lambda d: _source("lithuania_2022")(d).pop("year"),
     "sources.lithuania_2022: missing required field 'year'"),
    ("title empty", lambda d: _source("lithuania_2022")(d).update(title=""), "title must be a non-empty one-line"),
    ("url not https", lambda d: _source("lithuania_2022")(d).update(url="http://osp.stat.gov.lt/"),
     "url 'http://osp.stat.gov.lt/' must look like https://host/path"),
    ("year", lambda d: _source("lithuania_2022")(d).update(year="2022"), "year must be a year such as 2024"),
    ("population without text", lambda d: _source("lithuania_2022")(d).update(population={"note": "x"}),
     "sources.lithuania_2022.population: missing required field 'text'"),
    ("population note empty", lambda d: _source("lithuania_2022")(d)["population"]["text"].update(note=""),
     "text 'note' is missing or empty"),
    ("figures not a mapping", lambda d: d.update(figures=[]), "figures must be a mapping of source id"),
    ("figures of unknown source", lambda d: d["figures"].update(oecd_2023={"measures.any": 1}),
     "figures.oecd_2023: not a source of sources"),
    ("source without figures", lambda d: d["figures"].pop("lithuania_2022"),
     "sources.lithuania_2022: has no figures"),
    ("figures empty", lambda d: d["figures"].update(lithuania_2022={}), "must be a non-empty mapping of indicator"),
    ("indicator shape", lambda d: d["figures"]["lithuania_2022"].update({"E_SECMVPN": 28.4}),
     "'E_SECMVPN' must be \"question.option\" or \"question.any\""),
    ("indicator question", lambda d: d["figures"]["lithuania_2022"].update({"security.any": 1.0}),
     "security.any: 'security' is not a question of the template"),
    ("indicator option", lambda d: d["figures"]["lithuania_2022"].update({"measures.E_SECMFW": 1.0}),
     "measures.E_SECMFW: 'E_SECMFW' is not an option of measures"),
    ("any without exclusive", lambda d: d["figures"]["lithuania_2022"].update({"documents.any": 1.0}),
     "\"any\" needs a multi question with an exclusive option"),
    ("exclusive option", lambda d: d["figures"]["lithuania_2022"].update({"measures.none": 11.9}),
     "compare \"measures.any\", not the exclusive option"),
    ("percent over 100", lambda d: d["figures"]["lithuania_2022"].update({"measures.any": 188.1}),
     "measures.any: 188.1 is not a percentage from 0 to 100"),
    ("percent text", lambda d: d["figures"]["lithuania_2022"].update({"measures.any": "88,1"}),
     "'88,1' is not a percentage"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in FIGURE_CASES], ids=[c[0] for c in FIGURE_CASES])
def test_figures_rule(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "official_figures.yaml", change)
    assert_problem(figures_problems(copy), expected)


def test_figures_translations(copy: Path) -> None:
    edit(copy / "official_figures.lv.yaml", lambda d: d["sources"]["lithuania_2022"].pop("population"))
    assert_problem(figures_problems(copy), "official_figures.lv.yaml: sources.lithuania_2022.population: "
                                           "translation missing")
    (copy / "official_figures.lt.yaml").unlink()
    assert_problem(figures_problems(copy, strict=True), "official_figures.lt.yaml: missing")


def test_figures_file_missing(copy: Path) -> None:
    (copy / "official_figures.yaml").unlink()
    assert_problem(figures_problems(copy), "official_figures.yaml: missing")
