"""The incident log's catalog (catalog/incidents/): the packaged taxonomy and authorities, and every
validation rule of the loader on a broken copy in tmp_path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from smecyber.catalog.incident_catalog import (
    INCIDENTS_DIR,
    REQUIRED_COUNTRIES,
    REQUIRED_IDS,
    IncidentCatalogError,
    authorities_for,
    load_incident_catalog,
)

LANGS = ("en", "sv", "lv", "lt")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "incidents"
    shutil.copytree(INCIDENTS_DIR, target)
    return target


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def edit(path: Path, change: Callable[[Any], Any]) -> None:
    """Change the parsed file in place (what ``change`` returns, e.g. a popped value, is ignored)."""
    data = read(path)
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problems_of(directory: Path, *, strict: bool = False) -> list[str]:
    with pytest.raises(IncidentCatalogError) as exc:
        load_incident_catalog(directory, strict=strict)
    return exc.value.problems


def assert_problem(problems: list[str], expected: str) -> None:
    assert any(expected in p for p in problems), f"{expected!r} not in {problems}"


# ---- the packaged data ------------------------------------------------------------------------------------


def test_packaged_taxonomy_has_the_ids_of_the_issue_in_every_language() -> None:
    c = load_incident_catalog()
    for group, ids in REQUIRED_IDS.items():
        assert tuple(c.group(group)) == ids
        for item in c.group(group).values():
            assert item.texts.languages() == list(LANGS), (group, item.id)
    assert c.label("kinds", "invoice_fraud") == "Invoice or CEO fraud"
    assert c.choices("impacts", "sv")[0] == ("none", "Ingen påverkan")


def test_impacts_are_defined_and_cost_bands_are_contiguous_euros() -> None:
    c = load_incident_catalog()
    for impact in c.impacts.values():
        assert all(impact.help(lang) for lang in LANGS), impact.id
    ranges = [(b.id, b.from_eur, b.to_eur) for b in c.cost_bands.values() if b.from_eur is not None]
    assert ranges == [("lt_1k", 1, 1000), ("1k_10k", 1000, 10000), ("10k_50k", 10000, 50000),
                      ("50k_250k", 50000, 250000), ("gt_250k", 250000, None)]
    assert all("EUR" in c.label("cost_bands", b, lang) for b, _, _ in ranges for lang in LANGS)


def test_personal_data_is_marked_for_the_gdpr_guidance() -> None:
    c = load_incident_catalog()
    assert {a.id for a in c.affected.values() if a.personal_data} == {"customer_data", "employee_data"}
    assert c.personal_data_affected(["email", "customer_data"])
    assert not c.personal_data_affected(["email", "website", "unknown_id"])


def test_every_country_of_the_issue_has_its_csirt_and_data_protection_authority() -> None:
    c = load_incident_catalog()
    assert set(c.authorities) >= set(REQUIRED_COUNTRIES)
    expected_csirt = {"SE": "CERT-SE", "LV": "CERT.LV", "LT": "NKSC", "EE": "CERT-EE", "FI": "NCSC-FI",
                      "PL": "CERT Polska", "DE": "BSI", "DK": "CFCS"}
    expected_dpa = {"SE": "IMY", "LV": "DVI", "LT": "VDAI", "EE": "AKI", "FI": "Tietosuojavaltuutetun toimisto",
                    "PL": "UODO", "DE": "Bundeslandes", "DK": "Datatilsynet"}
    for country in REQUIRED_COUNTRIES:
        guide = authorities_for(country)
        assert guide is not None and guide.police is not None, country
        assert expected_csirt[country] in guide.csirt.name
        assert expected_dpa[country] in guide.data_protection.name
        for item in (*guide.authorities, guide.police):
            assert item.url.startswith("https://")
            assert all(item.what(lang) for lang in LANGS)
        assert "72 hours" in guide.data_protection.what("en")
    assert "Your Land's data protection authority" in authorities_for("DE").data_protection.what("en")
    assert authorities_for("se") is authorities_for("SE")  # a profile's code in any case
    assert authorities_for("NO") is None and authorities_for(None) is None  # no data: the page says so


def test_catalog_as_json() -> None:
    doc = load_incident_catalog().as_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert [k["id"] for k in doc["kinds"]] == list(REQUIRED_IDS["kinds"])
    assert doc["authorities"]["SE"]["authorities"][0]["what"]["lv"]
    assert doc["affected"][2] == {"id": "customer_data", "label": doc["affected"][2]["label"],
                                  "help": doc["affected"][2]["help"], "personal_data": True}


def test_a_test_directory_may_lack_translations(copy: Path) -> None:
    for stem in ("taxonomy", "authorities"):
        for lang in ("sv", "lv", "lt"):
            (copy / f"{stem}.{lang}.yaml").unlink()
    c = load_incident_catalog(copy)
    assert c.label("kinds", "phishing", "lt") == "Phishing"  # English fallback
    assert_problem(problems_of(copy, strict=True), "taxonomy.sv.yaml: missing; it must translate")


# ---- taxonomy validation ----------------------------------------------------------------------------------


TAXONOMY_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("group missing", lambda d: d.pop("impacts"), "taxonomy.yaml: missing required field 'impacts'"),
    ("group unknown", lambda d: d.update(causes={}), "taxonomy.yaml: unknown field 'causes'"),
    ("group empty", lambda d: d.update(kinds={}), "kinds must be a non-empty mapping of ids"),
    ("item id", lambda d: d["kinds"].update({"CEO fraud": {"text": {"label": "x"}}}),
     "kinds: CEO fraud: id must look like phishing"),
    ("item without text", lambda d: d["kinds"].update(ddos={}), "kinds.ddos: missing required field 'text'"),
    ("item field unknown", lambda d: d["kinds"]["ddos"].update(personal_data=True),
     "kinds.ddos: unknown field 'personal_data'"),
    ("label empty", lambda d: d["kinds"]["ddos"]["text"].update(label=""), "kinds.ddos: text 'label' is missing"),
    ("label two lines", lambda d: d["kinds"]["ddos"]["text"].update(label="DDoS\nattack"),
     "text 'label' must be one line"),
    ("impact without help", lambda d: d["impacts"]["minor"]["text"].pop("help"),
     "impacts.minor: an impact needs a help text that defines it"),
    ("personal_data type", lambda d: d["affected"]["customer_data"].update(personal_data="yes"),
     "personal_data must be true or false"),
    ("amount negative", lambda d: d["cost_bands"]["lt_1k"].update(from_eur=-1),
     "from_eur must be a whole number of euros"),
    ("amount text", lambda d: d["cost_bands"]["lt_1k"].update(to_eur="1k"), "to_eur must be a whole number"),
    ("to without from", lambda d: d["cost_bands"]["lt_1k"].pop("from_eur"),
     "cost_bands.lt_1k: a band with to_eur needs from_eur"),
    ("empty range", lambda d: d["cost_bands"]["1k_10k"].update(to_eur=1000),
     "to_eur 1000 must be more than from_eur 1000"),
    ("gap", lambda d: d["cost_bands"]["10k_50k"].update(from_eur=20000),
     "cost_bands.10k_50k: from_eur 20000 must be 10000, where 1k_10k ends"),
    ("after open-ended band", lambda d: d["cost_bands"]["50k_250k"].pop("to_eur"),
     "cost_bands.gt_250k: comes after the open-ended band 50k_250k"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in TAXONOMY_CASES], ids=[c[0] for c in TAXONOMY_CASES])
def test_taxonomy_rule(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "taxonomy.yaml", change)
    assert_problem(problems_of(copy), expected)


# ---- authorities validation -------------------------------------------------------------------------------


def _auth(country: str, i: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d[country]["authorities"][i]


AUTHORITY_CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("no country", lambda d: d.clear(), "authorities.yaml: must name at least one country"),
    ("country code", lambda d: d.update(Sweden=d["SE"]), "authorities.yaml: Sweden: id must look like SE"),
    ("country field unknown", lambda d: d["SE"].update(hotline="112"), "authorities.yaml: SE: unknown field 'hotline'"),
    ("authorities missing", lambda d: d["SE"].pop("authorities"), "SE: missing required field 'authorities'"),
    ("authorities not a list", lambda d: d["SE"].update(authorities={"cert_se": {}}),
     "SE.authorities: must be a non-empty list of authorities"),
    ("authority id", lambda d: _auth("SE", 0)(d).update(id="CERT-SE"),
     "SE.authorities 1: id must be like cert_se"),
    ("authority id twice", lambda d: _auth("SE", 1)(d).update(id="cert_se"),
     "SE.authorities.cert_se: id is listed twice"),
    ("authority field missing", lambda d: _auth("SE", 0)(d).pop("url"),
     "SE.authorities.cert_se: missing required field 'url'"),
    ("authority field unknown", lambda d: _auth("SE", 0)(d).update(fax="1"),
     "SE.authorities.cert_se: unknown field 'fax'"),
    ("role", lambda d: _auth("SE", 0)(d).update(role="police"), "role 'police' is not one of csirt, data_protection"),
    ("name empty", lambda d: _auth("SE", 0)(d).update(name=""), "name must be a non-empty one-line string"),
    ("url not https", lambda d: _auth("SE", 0)(d).update(url="http://www.cert.se"),
     "url 'http://www.cert.se' must look like https://host/path"),
    ("email", lambda d: _auth("SE", 0)(d).update(email="cert at cert.se"), "email 'cert at cert.se' must look like"),
    ("phone unquoted", lambda d: _auth("SE", 0)(d).update(phone=46102404040),
     "phone must be a non-empty one-line string"),
    ("phone letters", lambda d: _auth("SE", 0)(d).update(phone="call CERT-SE"), "phone 'call CERT-SE' must look like"),
    ("what missing", lambda d: _auth("SE", 0)(d)["text"].pop("what"), "text 'what' is missing or empty"),
    ("no data protection authority", lambda d: d["SE"]["authorities"].pop(1),
     "authorities.yaml: SE: no authority with role data_protection"),
    ("police field missing", lambda d: d["SE"]["police"].pop("url"), "SE.police: missing required field 'url'"),
    ("police phone", lambda d: d["SE"]["police"].update(phone="ring 114 14"), "phone 'ring 114 14' must look like"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in AUTHORITY_CASES],
                         ids=[c[0] for c in AUTHORITY_CASES])
def test_authority_rule(copy: Path, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / "authorities.yaml", change)
    assert_problem(problems_of(copy), expected)


# ---- files, translations, coverage ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("taxonomy.yaml", "kinds: {}\nkinds: {}\n", "taxonomy.yaml: not valid YAML"),  # duplicate key
    ("authorities.yaml", "- SE\n", "authorities.yaml: must be a mapping"),
    ("police.yaml", "{}\n", "police.yaml: unexpected file"),
    ("taxonomy.fi.yaml", "{}\n", "language 'fi' is not one of the translated languages"),
])
def test_files(copy: Path, name: str, content: str, expected: str) -> None:
    (copy / name).write_text(content, encoding="utf-8")
    assert_problem(problems_of(copy), expected)


def test_missing_files_and_directory(copy: Path, tmp_path: Path) -> None:
    (copy / "taxonomy.yaml").unlink()
    (copy / "authorities.yaml").unlink()
    problems = problems_of(copy)
    assert_problem(problems, "taxonomy.yaml: missing")
    assert_problem(problems, "authorities.yaml: missing")
    assert problems_of(tmp_path / "nowhere")[0].endswith("nowhere: not a directory")


TRANSLATION_CASES: list[tuple[str, str, Callable[[Any], Any], str]] = [
    ("taxonomy", "unknown id", lambda d: d["kinds"].update(worm={"label": "Mask"}),
     "taxonomy.sv.yaml: kinds.worm: not an id path of the English file"),
    ("taxonomy", "missing entry", lambda d: d["kinds"].pop("ddos"),
     "taxonomy.sv.yaml: kinds.ddos: translation missing"),
    ("taxonomy", "help the English lacks", lambda d: d["affected"]["email"].update(help="E-post"),
     "taxonomy.sv.yaml: affected.email: text 'help' is not in the English text"),
    ("taxonomy", "help missing", lambda d: d["impacts"]["severe"].pop("help"),
     "taxonomy.sv.yaml: impacts.severe: text 'help' is missing or empty"),
    ("authorities", "mirrored by id", lambda d: d["SE"]["authorities"].pop("imy"),
     "authorities.sv.yaml: SE.authorities.imy: translation missing"),
    ("authorities", "a list instead of ids", lambda d: d["SE"].update(authorities=[{"what": "x"}]),
     "authorities.sv.yaml: SE.authorities: must be a mapping"),
    ("authorities", "police missing", lambda d: d["DK"].pop("police"),
     "authorities.sv.yaml: DK.police: translation missing"),
]


@pytest.mark.parametrize(("stem", "change", "expected"), [(c[0], *c[2:]) for c in TRANSLATION_CASES],
                         ids=[c[1] for c in TRANSLATION_CASES])
def test_translation_rule(copy: Path, stem: str, change: Callable[[Any], Any], expected: str) -> None:
    edit(copy / f"{stem}.sv.yaml", change)
    assert_problem(problems_of(copy), expected)


def test_coverage_of_the_packaged_catalog(copy: Path) -> None:
    def drop(d: dict[str, Any]) -> None:
        d["kinds"].pop("website_defacement")

    for name in ("taxonomy.yaml", "taxonomy.sv.yaml", "taxonomy.lv.yaml", "taxonomy.lt.yaml"):
        edit(copy / name, drop)
    for name in ("authorities.yaml", "authorities.sv.yaml", "authorities.lv.yaml", "authorities.lt.yaml"):
        edit(copy / name, lambda d: d.pop("EE"))
    load_incident_catalog(copy)  # well formed; the issue's ids and countries are checked for the packaged data
    problems = problems_of(copy, strict=True)
    assert_problem(problems, "coverage: taxonomy.yaml: kinds must be phishing, malware")
    assert_problem(problems, "coverage: authorities.yaml: no authorities for EE")


def test_every_problem_is_reported_at_once(copy: Path) -> None:
    edit(copy / "taxonomy.yaml", lambda d: d["impacts"]["minor"]["text"].pop("help"))
    edit(copy / "authorities.yaml", lambda d: _auth("LV", 0)(d).update(url="cert.lv"))
    problems = problems_of(copy)
    assert_problem(problems, "impacts.minor: an impact needs a help text")
    assert_problem(problems, "LV.authorities.cert_lv: url 'cert.lv' must look like")
