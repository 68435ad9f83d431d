"""The questionnaire loader: a small valid questionnaire loads into the typed model, and every kind of broken
file is refused with a message naming the file and the id, all problems at once."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from smecyber.catalog import load_catalog
from smecyber.catalog import questionnaire as loader
from smecyber.catalog.questionnaire import QuestionnaireError, coverage_problems, load_questionnaire
from smecyber.catalog.questionnaire_model import Condition, Questionnaire

FIXTURE = Path(__file__).parent / "fixtures" / "questionnaire_min"
LANGS = ("en", "sv", "lv", "lt")


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "questionnaire"
    shutil.copytree(FIXTURE, target)
    return target


def edit(directory: Path, file: str, old: str, new: str) -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire(directory)
    assert str(exc.value).startswith(f"questionnaire has {len(exc.value.problems)} problem(s)")
    return exc.value.problems


def assert_problem(problems: list[str], message: str) -> None:
    assert any(message in p for p in problems), "\n".join(problems)
    for p in problems:  # every problem names its file first
        assert re.match(r"^[a-z0-9_]+(\.[a-z]{2})?\.yaml: ", p), p


# ---- the valid fixture ------------------------------------------------------------------------------------


def test_fixture_loads_into_the_model() -> None:
    q = load_questionnaire(FIXTURE)
    assert q.version == "test.1"
    assert list(q.areas) == ["governance", "development"]
    assert q.areas["development"].software_only and not q.areas["governance"].software_only
    assert q.areas["governance"].text("sv").title == "[sv] Governance"
    assert list(q.questions) == ["governance.owner", "governance.risk_review", "development.dependencies"]
    assert [qu.order for qu in q.questions.values()] == [1, 2, 3]
    owner = q.questions["governance.owner"]
    assert (owner.area, owner.weight, owner.scale) == ("governance", 3, "yesno")
    assert owner.applies == Condition() and owner.applies.empty
    assert (owner.recommendations, owner.csf, owner.nis2, owner.eurostat) == (
        ("rec.name_owner",), ("GV.RR-02",), ("a",), ("E_SECPOL2",))
    assert owner.cra == () and owner.gdpr == ()
    assert q.questions["governance.risk_review"].applies == Condition(size_band=frozenset({"small", "medium", "large"}))
    assert q.questions["governance.risk_review"].gdpr == ("32.1.b",)
    dev = q.questions["development.dependencies"]
    assert dev.applies == Condition(places_products=True) and dev.cra == ("I.2.a", "II.1")
    for lang in LANGS:
        prefix = "" if lang == "en" else f"[{lang}] "
        assert owner.text(lang).question == f"{prefix}Is one person responsible for security?"
        assert q.scale_of(owner).step("na").text(lang).label == f"{prefix}Not applicable"
        assert q.frameworks["nis2"]["a"].title(lang) == f"{prefix}Risk analysis and security policies"
        assert q.nis2_sectors["digital_providers"].title(lang) == f"{prefix}Digital providers"
    assert owner.texts.languages() == sorted(LANGS)
    assert owner.text("de").question == owner.text("en").question  # unsupported language: English


def test_fixture_scales_recommendations_frameworks_sectors() -> None:
    q = load_questionnaire(FIXTURE)
    assert q.scales["practice"].keys == ("0", "0.25", "0.5", "1", "na")
    assert [s.value for s in q.scales["practice"].steps] == [0.0, 0.25, 0.5, 1.0, None]
    assert q.scales["yesno"].keys == ("0", "1", "na")
    rec = q.recommendations["rec.name_owner"]
    assert (rec.severity, rec.likelihood, rec.effort, rec.owner) == ("high", "medium", "low", "sme")
    assert rec.raise_likelihood == (
        Condition(nis2_sector=True), Condition(size_band=frozenset({"medium", "large"}), personal_data=True))
    assert rec.references[0].url == "https://www.nist.gov/cyberframework"
    assert rec.text("lv").how == "1. [lv] Pick one person.\n2. [lv] Write their name down."  # stripped
    assert q.recommendations["rec.dmarc"].findings == ("mail.dmarc.",)
    assert set(q.frameworks) == {"nis2", "cra", "gdpr", "eurostat"}
    assert list(q.frameworks["cra"]) == ["I.2.a", "II.1"]
    assert q.frameworks["gdpr"]["32.1.b"].framework == "gdpr"
    sector = q.nis2_sectors["energy.electricity"]
    assert (sector.annex, sector.size_rule) == ("I", "standard")


def test_packaged_questionnaire_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "QUESTIONNAIRE_DIR", FIXTURE)
    loader._load_packaged.cache_clear()
    try:
        first = load_questionnaire()
        assert load_questionnaire() is first and first.version == "test.1"
        assert load_questionnaire(FIXTURE) is not first  # an explicit directory is read again
    finally:
        loader._load_packaged.cache_clear()


def test_a_full_catalog_key_is_a_valid_prefix(tmp_path: Path) -> None:
    keys = load_catalog().keys()
    key = next(k for k in keys if k.startswith("mail.dmarc."))
    d = copy(tmp_path)
    edit(d, "recommendations.yaml", '"mail.dmarc."', f'"{key}"')
    assert load_questionnaire(d).recommendations["rec.dmarc"].findings == (key,)


def test_empty_applies_is_no_constraint(tmp_path: Path) -> None:
    d = copy(tmp_path)
    edit(d, "questions.yaml", "applies: {places_products: true}", "applies: {}")
    assert load_questionnaire(d).questions["development.dependencies"].applies.empty


# ---- broken English files ---------------------------------------------------------------------------------

Q = "questions.yaml"
R = "recommendations.yaml"

BROKEN = [
    # meta
    ("meta.yaml", [('version: "test.1"', "version: 2026.1")], "meta.yaml: version must be a quoted string"),
    ("meta.yaml", [('version: "test.1"', 'version: "test.1"\nowner: x')], "meta.yaml: unknown field 'owner'"),
    ("meta.yaml", [('version: "test.1"', "")], "meta.yaml: missing required field 'version'"),
    # areas
    ("areas.yaml", [("  software_only: false\n", "")],
     "areas.yaml: governance: missing required field 'software_only'"),
    ("areas.yaml", [("order: 1", "order: first")], "areas.yaml: governance: order must be a whole number"),
    ("areas.yaml", [("order: 2", "order: 1")], "areas.yaml: development: order 1 is also the order of governance"),
    ("areas.yaml", [("software_only: true", "software_only: yes please")],
     "areas.yaml: development: software_only must be true or false"),
    ("areas.yaml", [("governance:\n", "Governance:\n")], "areas.yaml: Governance: id must look like governance"),
    ("areas.yaml", [("development:\n", "governance:\n")], "duplicate key 'governance'"),
    ("areas.yaml", [('intro: "Who is responsible for security."', 'intro: ""')],
     "areas.yaml: governance: text 'intro' is missing or empty"),
    ("areas.yaml", [('title: "Governance",', 'title: "Governance", note: "x",')],
     "areas.yaml: governance: unknown text field 'note'"),
    ("areas.yaml", [('title: "Governance"', 'title: "Gover\\nnance"')],
     "areas.yaml: governance: text 'title' must be one line"),
    ("areas.yaml", [("  text: {title: \"Governance\"", "  txt: {title: \"Governance\"")],
     "areas.yaml: governance: unknown field 'txt'"),
    # scales
    ("scales.yaml", [('{key: "0.5", value: 0.5', '{key: "0.5", value: 0.4')],
     "scales.yaml: practice: step '0.5': value must be 0.5, not 0.4"),
    ("scales.yaml", [('{key: "na", value: null', '{key: "na", value: 0')],
     "scales.yaml: practice: step 'na': value must be null, not 0"),
    ("scales.yaml", [('{key: "0.5", value: 0.5', "{key: 0.5, value: 0.5")],
     "scales.yaml: practice: step 3: key 0.5 is not one of"),
    ("scales.yaml", [('{key: "0.25", value: 0.25', '{key: "0.3", value: 0.3')],
     "scales.yaml: practice: step 2: key '0.3' is not one of"),
    ("scales.yaml", [('    - {key: "1", value: 1, text: {label: "Yes", meaning: "Done."}}\n', "")],
     "scales.yaml: yesno: steps must be 0, 1, na in this order, not 0, na"),
    ("scales.yaml", [('{key: "0.25", value: 0.25', '{key: "0.5", value: 0.5')],
     "scales.yaml: practice: a step key is listed twice"),
    ("scales.yaml", [("yesno:\n  steps:", "yesno:\n  steps: []\n  old:")], "scales.yaml: yesno: unknown field 'old'"),
    # questions
    (Q, [("governance.owner:", "governance.Owner:")],
     "questions.yaml: governance.Owner: id must look like <area>.<name>"),
    (Q, [("  area: governance\n  weight: 3", "  area: development\n  weight: 3")],
     "questions.yaml: governance.owner: the id must start with its area 'development'"),
    (Q, [("governance.owner:", "people.owner:"), ("  area: governance\n  weight: 3", "  area: people\n  weight: 3")],
     "questions.yaml: people.owner: area 'people' is not in areas.yaml"),
    (Q, [("weight: 3", "weight: 4")], "questions.yaml: governance.owner: weight 4 is not one of 1, 2, 3"),
    (Q, [("weight: 3", 'weight: "3"')], "questions.yaml: governance.owner: weight '3' is not one of 1, 2, 3"),
    (Q, [("weight: 3", "weight: true")], "questions.yaml: governance.owner: weight True is not one of 1, 2, 3"),
    (Q, [("scale: yesno", "scale: likert")], "questions.yaml: governance.owner: scale 'likert' is not in scales.yaml"),
    (Q, [("[rec.name_owner]", "[rec.name_ownr]")],
     "questions.yaml: governance.owner: recommendations: 'rec.name_ownr' is not in recommendations.yaml"),
    (Q, [("recommendations: [rec.track_dependencies]", "recommendations: []")],
     "questions.yaml: development.dependencies: recommendations must name at least one rec.<name>"),
    (Q, [("  csf: [GV.RR-02]\n", "")], "questions.yaml: governance.owner: missing required field 'csf'"),
    (Q, [("csf: [GV.RR-02]", "csf: []")], "questions.yaml: governance.owner: csf must name at least one"),
    (Q, [("GV.RR-02", "GV.RR-99")], "questions.yaml: governance.owner: CSF id 'GV.RR-99' does not exist"),
    (Q, [("GV.RR-02", "PR.IP-01")], "questions.yaml: governance.owner: CSF id 'PR.IP-01' is withdrawn"),
    (Q, [("GV.RR-02", "GV.RR")], "questions.yaml: governance.owner: CSF id 'GV.RR' is a function or category"),
    (Q, [("csf: [GV.RR-02]", "csf: [GV.RR-02, GV.RR-02]")],
     "questions.yaml: governance.owner: csf lists an item twice"),
    (Q, [("csf: [GV.RR-02]", "csf: GV.RR-02")], "questions.yaml: governance.owner: csf must be a list of strings"),
    (Q, [("nis2: [a]", "nis2: [k]")], "questions.yaml: governance.owner: nis2: 'k' is not one of a, b, c"),
    (Q, [("nis2: [a]", "nis2: [b]")], "questions.yaml: governance.owner: nis2 item 'b' is not in frameworks.yaml"),
    (Q, [("cra: [I.2.a, II.1]", "cra: [I.3, II.1]")],
     "questions.yaml: development.dependencies: cra: 'I.3' is not one of"),
    (Q, [("cra: [I.2.a, II.1]", "cra: [I.2.b]")],
     "questions.yaml: development.dependencies: cra item 'I.2.b' is not in frameworks.yaml"),
    (Q, [('gdpr: ["32.1.b"]', "gdpr: [32.2]")],
     "questions.yaml: governance.risk_review: gdpr must be a list of strings"),
    (Q, [('gdpr: ["32.1.b"]', 'gdpr: ["32.3"]')], "questions.yaml: governance.risk_review: gdpr: '32.3' is not one of"),
    (Q, [("eurostat: [E_SECPOL2]", "eurostat: [E_SECXXX]")], "governance.owner: eurostat: 'E_SECXXX' is not one of"),
    (Q, [("eurostat: [E_SECPOL2]", "eurostat: [E_SECMDUO]")],
     "questions.yaml: governance.owner: eurostat item 'E_SECMDUO' is not in frameworks.yaml"),
    (Q, [("applies: {size_band: [small, medium, large]}", "applies: {size: [small]}")],
     "questions.yaml: governance.risk_review: applies: unknown condition 'size'"),
    (Q, [("applies: {size_band: [small, medium, large]}", "applies: {size_band: [tiny]}")],
     "questions.yaml: governance.risk_review: applies: size_band 'tiny' not one of micro, small, medium, large"),
    (Q, [("applies: {size_band: [small, medium, large]}", "applies: {size_band: small}")],
     "questions.yaml: governance.risk_review: applies: size_band must be a non-empty list"),
    (Q, [("applies: {size_band: [small, medium, large]}", "applies: {size_band: []}")],
     "questions.yaml: governance.risk_review: applies: size_band must be a non-empty list"),
    (Q, [("applies: {size_band: [small, medium, large]}", "applies: {sector: [J, Z]}")],
     "questions.yaml: governance.risk_review: applies: sector 'Z' not one of A, B"),
    (Q, [("applies: {places_products: true}", "applies: {places_products: maybe}")],
     "questions.yaml: development.dependencies: applies: places_products must be true or false"),
    (Q, [("applies: {places_products: true}", "applies: [places_products]")],
     "questions.yaml: development.dependencies: applies: must be a mapping of conditions"),
    (Q, [("  weight: 3\n", "  weight: 3\n  comment: x\n")],
     "questions.yaml: governance.owner: unknown field 'comment'"),
    (Q, [('help: "A name, not a department."', 'hint: "A name."')],
     "questions.yaml: governance.owner: text 'help' is missing or empty"),
    (Q, [("weight: 3", "weight: [3")], "questions.yaml: not valid YAML"),
    # recommendations
    (R, [("severity: high\n  likelihood: medium", "severity: none\n  likelihood: medium")],
     "recommendations.yaml: rec.name_owner: severity 'none' is not one of low, medium, high, critical"),
    (R, [("likelihood: medium", "likelihood: often")],
     "recommendations.yaml: rec.name_owner: likelihood 'often' is not one of low, medium, high"),
    (R, [("effort: low\n  owner: sme", "effort: tiny\n  owner: sme")],
     "recommendations.yaml: rec.name_owner: effort 'tiny' is not one of low, medium, high"),
    (R, [("owner: sme\n  references", "owner: ceo\n  references")],
     "recommendations.yaml: rec.name_owner: owner 'ceo' is not one of sme, it_provider, web_host"),
    (R, [("  owner: sme\n  references", "  references")], "rec.name_owner: missing required field 'owner'"),
    (R, [("[{nis2_sector: true},", "[{nis2: true},")],
     "recommendations.yaml: rec.name_owner: raise_likelihood 1: unknown condition 'nis2'"),
    (R, [("[{nis2_sector: true},", "[{},")], "recommendations.yaml: rec.name_owner: raise_likelihood 1 is empty"),
    (R, [("personal_data: true}]", "personal_data: maybe}]")],
     "recommendations.yaml: rec.name_owner: raise_likelihood 2: personal_data must be true or false"),
    (R, [("raise_likelihood: [{nis2_sector: true}, {size_band: [medium, large], personal_data: true}]",
          "raise_likelihood: {nis2_sector: true}")],
     "recommendations.yaml: rec.name_owner: raise_likelihood must be a list of conditions"),
    (R, [("rec.dmarc:", "recommendation.dmarc:")],
     "recommendations.yaml: recommendation.dmarc: id must look like rec.<name>"),
    (R, [('  findings: ["mail.dmarc."]\n', "")],
     "recommendations.yaml: rec.dmarc: no question names this recommendation and it has no findings prefixes"),
    (R, [('"mail.dmarc."', '"mail.dmarcx."')],
     "recommendations.yaml: rec.dmarc: findings prefix 'mail.dmarcx.' matches no key of the findings catalog"),
    (R, [('"mail.dmarc."', '"mail.dmarc"')],
     "recommendations.yaml: rec.dmarc: findings prefix 'mail.dmarc' must be a finding key or end with '.'"),
    (R, [("  effort: medium\n", '  effort: medium\n  findings: ["mail."]\n')],
     "a finding may join only one recommendation"),
    (R, [("https://www.nist.gov", "http://www.nist.gov")],
     "recommendations.yaml: rec.name_owner: reference 1 url 'http://www.nist.gov/cyberframework' must be an https://"),
    (R, [("1. Publish a DMARC record.", "Publish a DMARC record.")],
     "recommendations.yaml: rec.dmarc: text 'how' must be numbered steps"),
    (R, [("2. Write their name down.", "3. Write their name down.")],
     "recommendations.yaml: rec.name_owner: text 'how' must be numbered steps"),
    # frameworks
    ("frameworks.yaml", [("nis2:\n", "iso27001:\n  x: {text: {title: X}}\nnis2:\n")],
     "frameworks.yaml: 'iso27001': unknown framework"),
    ("frameworks.yaml", [('"II.1":', '"II.9":')], "frameworks.yaml: cra.II.9: not an item of cra"),
    ("frameworks.yaml", [('"32.1.b":', "32.2:")], "frameworks.yaml: gdpr.32.2: id must be a quoted string"),
    ("frameworks.yaml", [("a: {text: {title:", "a: {txt: {title:")], "frameworks.yaml: nis2.a: unknown field 'txt'"),
    ("frameworks.yaml", [("eurostat:\n", "eurostat: []\nold:\n")], "frameworks.yaml: eurostat: must be a mapping"),
    # NIS2 sectors
    ("nis2_sectors.yaml", [('annex: "I"', 'annex: "III"')],
     "nis2_sectors.yaml: energy.electricity: annex 'III' is not one of I, II"),
    ("nis2_sectors.yaml", [("size_rule: standard", "size_rule: huge")],
     "nis2_sectors.yaml: energy.electricity: size_rule 'huge' is not one of standard"),
    ("nis2_sectors.yaml", [("digital_providers:", "Digital-Providers:")],
     "nis2_sectors.yaml: Digital-Providers: id must look like"),
    ("nis2_sectors.yaml", [('  text: {title: "Digital providers"}\n', "")],
     "nis2_sectors.yaml: digital_providers: missing required field 'text'"),
]

@pytest.mark.parametrize(("file", "edits", "message"), BROKEN,
                         ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_broken_english_file(tmp_path: Path, file: str, edits: list[tuple[str, str]], message: str) -> None:
    d = copy(tmp_path)
    for old, new in edits:
        edit(d, file, old, new)
    assert_problem(problems_of(d), message)


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    (Q, "  weight: 3\n", "  weight: 3\n  comment: x\n", "questions.yaml: governance.owner: unknown field 'comment'"),
    (Q, "weight: 3", "weight: 4", "questions.yaml: governance.owner: weight 4 is not one of 1, 2, 3"),
    (Q, "csf: [GV.RR-02]", "csf:",
     "questions.yaml: governance.owner: csf must name at least one NIST CSF 2.0 subcategory"),
    (R, "likelihood: medium", "likelihood: often",
     "recommendations.yaml: rec.name_owner: likelihood 'often' is not one of low, medium, high"),
    ("areas.yaml", "order: 1", "order: one", "areas.yaml: governance: order must be a whole number, not 'one'"),
    ("frameworks.yaml", 'title: "Risk analysis and security policies"', 'title: ""',
     "frameworks.yaml: nis2.a: text 'title' is missing or empty"),
    ("scales.yaml", '{key: "0.5", value: 0.5', '{key: "0.5", value: "half"',
     "scales.yaml: practice: step '0.5': value must be 0.5, not 'half'"),
])
def test_one_mistake_is_one_problem(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    """A broken entry does not drag its translations or the questions that name it into the report."""
    d = copy(tmp_path)
    edit(d, file, old, new)
    assert problems_of(d) == [message]


def test_steps_must_go_up_with_na_last(tmp_path: Path) -> None:
    d = copy(tmp_path)
    steps = {"1": "Yes", "0": "No", "na": "N/A"}
    with (d / "scales.yaml").open("a", encoding="utf-8") as fh:
        fh.write("custom:\n  steps:\n")
        for key, label in steps.items():
            value = "null" if key == "na" else key
            fh.write(f'    - {{key: "{key}", value: {value}, text: {{label: "{label}", meaning: "x"}}}}\n')
    for lang in LANGS[1:]:
        with (d / f"scales.{lang}.yaml").open("a", encoding="utf-8") as fh:
            lines = [f'  "{k}": {{label: "{lang} {v}", meaning: "x"}}\n' for k, v in steps.items()]
            fh.write("custom:\n" + "".join(lines))
    assert problems_of(d) == ["scales.yaml: custom: steps must go from the lowest value up, with na last"]


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "questions.yaml").write_text("- governance.owner\n", encoding="utf-8")
    (d / "questions.sv.yaml").write_text("- governance.owner\n", encoding="utf-8")
    problems = problems_of(d)
    assert_problem(problems, "questions.yaml: must be a mapping of ids")
    assert_problem(problems, "questions.sv.yaml: must be a mapping of ids")


def test_questions_are_grouped_by_area_in_area_order(tmp_path: Path) -> None:
    d = copy(tmp_path)
    text = (d / Q).read_text(encoding="utf-8")
    head, dev = text.split("development.dependencies:")
    (d / Q).write_text("development.dependencies:" + dev + head, encoding="utf-8")
    problems = problems_of(d)
    assert_problem(problems, "questions.yaml: governance.owner: questions must be grouped by area in the order of "
                             "areas.yaml; this governance question comes after development questions")


def test_unused_recommendation_is_reported_even_when_the_question_is_broken(tmp_path: Path) -> None:
    d = copy(tmp_path)
    edit(d, Q, "recommendations: [rec.track_dependencies]", "recommendations: []")
    assert_problem(problems_of(d), "recommendations.yaml: rec.track_dependencies: no question names this")


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    d = copy(tmp_path)
    edit(d, Q, "weight: 3", "weight: 9")
    edit(d, R, "likelihood: medium", "likelihood: often")
    edit(d, "areas.yaml", "order: 2", "order: x")
    (d / "questions.lt.yaml").unlink()
    problems = problems_of(d)
    for message in ("questions.yaml: governance.owner: weight 9", "recommendations.yaml: rec.name_owner: likelihood",
                    "areas.yaml: development: order must be", "questions.lt.yaml: missing"):
        assert_problem(problems, message)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError, match="not a directory"):
        load_questionnaire(tmp_path / "nope")


# ---- files and translations -------------------------------------------------------------------------------


def test_missing_english_file(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "nis2_sectors.yaml").unlink()
    assert_problem(problems_of(d), "nis2_sectors.yaml: missing")


def test_unexpected_and_misnamed_files(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "notes.yaml").write_text("{}", encoding="utf-8")
    shutil.copy(d / "questions.sv.yaml", d / "questions.de.yaml")
    (d / "meta.sv.yaml").write_text('version: "x"\n', encoding="utf-8")
    problems = problems_of(d)
    assert_problem(problems, "notes.yaml: unexpected file")
    assert_problem(problems, "questions.de.yaml: language 'de' is not one of the translated languages sv, lv, lt")
    assert_problem(problems, "meta.sv.yaml: meta.yaml has no text to translate")


def test_a_missing_translation_file_is_one_problem(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "questions.lv.yaml").unlink()
    problems = problems_of(d)
    assert problems == ["questions.lv.yaml: missing; it must translate 3 text(s)"]


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("questions.sv.yaml", "governance.owner:", "governance.gone:",
     "questions.sv.yaml: governance.gone: not an id of questions.yaml"),
    ("questions.sv.yaml", "governance.owner:", "governance.gone:",
     "questions.sv.yaml: governance.owner: translation missing (needs question, help)"),
    ("questions.lv.yaml", "  help: '[lv] A name, not a department.'\n", "",
     "questions.lv.yaml: governance.owner: text 'help' is missing or empty"),
    ("questions.lt.yaml", "  help: '[lt] A name, not a department.'\n",
     "  help: '[lt] A name, not a department.'\n  note: x\n",
     "questions.lt.yaml: governance.owner: unknown text field 'note'"),
    ("areas.sv.yaml", "title: '[sv] Governance'", "title: ' '", "areas.sv.yaml: governance: text 'title' is missing"),
    ("areas.lv.yaml", "title: '[lv] Governance'", "title: '[lv] Gov\n\n    ernance'",
     "areas.lv.yaml: governance: text 'title' must be one line"),
    ("scales.lt.yaml", "  na:\n    label: '[lt] Not applicable'\n    meaning: '[lt] Does not apply to us.'\n", "",
     "scales.lt.yaml: practice.na: translation missing (needs label, meaning)"),
    ("scales.sv.yaml", "  '0.5':", "  0.5:", "scales.sv.yaml: practice.0.5: id must be a quoted string"),
    ("scales.sv.yaml", "yesno:\n", "yesno: []\nold:\n", "scales.sv.yaml: yesno: must be a mapping of ids"),
    ("frameworks.lv.yaml", "nis2:\n", "nis2:\n  b:\n    title: x\n", "frameworks.lv.yaml: nis2.b: not an id of"),
    ("nis2_sectors.lt.yaml", "digital_providers:\n  title:", "digital_providers:\n  name:",
     "nis2_sectors.lt.yaml: digital_providers: unknown text field 'name'"),
    ("recommendations.sv.yaml", "    2. [sv] Write their name down.\n", "",
     "recommendations.sv.yaml: rec.name_owner: text 'how' has 1 step(s), the English text 2"),
    ("recommendations.lv.yaml", "1. [lv] Publish a DMARC record.", "[lv] Publish a DMARC record.",
     "recommendations.lv.yaml: rec.dmarc: text 'how' must be numbered steps"),
    ("recommendations.lt.yaml", "rec.dmarc:\n", "rec.dmarc: 1\nold:\n",
     "recommendations.lt.yaml: rec.dmarc: text must be a mapping with title, why, how"),
])
def test_broken_translation(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    d = copy(tmp_path)
    edit(d, file, old, new)
    assert_problem(problems_of(d), message)


# ---- coverage ---------------------------------------------------------------------------------------------


def test_coverage_of_the_small_fixture_lists_what_is_missing() -> None:
    problems = coverage_problems(load_questionnaire(FIXTURE))
    text = "\n".join(problems)
    assert all(p.startswith("coverage: ") for p in problems)
    assert "areas.yaml lacks the areas: assets, access," in text
    assert "no question maps to NIS2 Art. 21(2) letters: b, c, d, e, f, g, h, i, j" in text
    assert "no question maps to CSF 2.0 functions: PR, DE, RS, RC" in text
    assert "CRA Annex I items: I.1, I.2.b," in text and "I.2.a" not in text.split("CRA Annex I items")[1].split("\n")[0]
    assert ("no question asks the Eurostat measures: E_SECMSPSW, E_SECMUIBM, E_SECMDUO, E_SECMDENC, E_SECMOSBU, "
            "E_SECMNAC, E_SECMVPN, E_SECMSMS, E_SECMLOG, E_SECMRASS, E_SECMTST") in text
    assert "coverage: 3 questions; the questionnaire must have 40-70" in problems
    assert "frameworks.yaml lacks nis2 items: b," in text
    assert "micro company" not in text


def _with_questions(q: Questionnaire, count: int, **changes: object) -> Questionnaire:
    base = q.questions["governance.owner"]
    extra = {f"governance.q{i}": dataclasses.replace(base, id=f"governance.q{i}", **changes) for i in range(count)}
    return dataclasses.replace(q, questions={**q.questions, **extra})


def test_coverage_counts_questions_and_what_a_micro_company_is_asked() -> None:
    q = load_questionnaire(FIXTURE)
    many = _with_questions(q, 40)  # 43 questions, 41 of them for everyone
    problems = coverage_problems(many)
    assert not any("questions; the questionnaire must have" in p for p in problems)
    assert ("coverage: a micro company without software development gets 41 questions; it must get fewer than 30"
            in problems)
    for_bigger = _with_questions(q, 40, applies=Condition(size_band=frozenset({"small", "medium", "large"})))
    assert not any("micro company" in p for p in coverage_problems(for_bigger))  # 1 question for a micro company
    too_many = _with_questions(q, 68)
    assert "coverage: 71 questions; the questionnaire must have 40-70" in coverage_problems(too_many)


def test_coverage_counts_cra_items_only_in_the_software_branch() -> None:
    q = load_questionnaire(FIXTURE)
    outside = _with_questions(q, 1, cra=("I.1",))  # a governance question for everyone
    assert any("CRA Annex I items: I.1," in p for p in coverage_problems(outside))
    products = _with_questions(q, 1, cra=("I.1",), applies=Condition(places_products=True))
    assert not any("CRA Annex I items: I.1," in p for p in coverage_problems(products))
