"""`smecyber catalog check` and `smecyber catalog export`: what a maintainer and a reviewer rely on."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from smecyber.catalog import load_catalog
from smecyber.catalog import questionnaire as loader
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "questionnaire_min"
LANGS = ["en", "sv", "lv", "lt"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["catalog", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def texts_in(node: Any) -> list[dict[str, str]]:
    """Every field -> language mapping under a ``text`` key of the exported document."""
    found: list[dict[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, dict):
                found.extend(value.values())
            else:
                found.extend(texts_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(texts_in(item))
    return found


# ---- check ------------------------------------------------------------------------------------------------


def test_packaged_catalog_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, ""), err
    q = load_questionnaire()
    assert out == (f"catalog OK: {len(q.questions)} questions, {len(q.recommendations)} recommendations, "
                   f"{len(load_catalog())} finding keys, 4 languages\n")


def test_check_ok_summary(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "coverage_problems", lambda q: [])  # the fixture is deliberately small
    code, out, err = run(capsys, "check", "--questionnaire", str(FIXTURE))
    assert (code, err) == (0, "")
    assert out == f"catalog OK: 3 questions, 3 recommendations, {len(load_catalog())} finding keys, 4 languages\n"


def test_check_lists_coverage_problems_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--questionnaire", str(FIXTURE))
    lines = err.splitlines()
    assert code == 1 and out == ""
    assert "coverage: 3 questions; the questionnaire must have 40-70" in lines
    assert all(line.startswith("coverage: ") for line in lines[:-1])
    assert lines[-1] == f"catalog check: {len(lines) - 1} problem(s)"


def test_check_lists_every_problem_of_a_broken_questionnaire(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    d = tmp_path / "q"
    shutil.copytree(FIXTURE, d)
    text = (d / "questions.yaml").read_text(encoding="utf-8")
    (d / "questions.yaml").write_text(text.replace("weight: 3", "weight: 4").replace("nis2: [a]", "nis2: [z]"),
                                      encoding="utf-8")
    (d / "areas.lt.yaml").unlink()
    code, out, err = run(capsys, "check", "--questionnaire", str(d))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert "questionnaire/questions.yaml: governance.owner: weight 4 is not one of 1, 2, 3" in lines
    assert any(line.startswith("questionnaire/questions.yaml: governance.owner: nis2: 'z'") for line in lines)
    assert "questionnaire/areas.lt.yaml: missing; it must translate 2 text(s)" in lines
    assert lines[-1] == "catalog check: 3 problem(s)"
    assert "Traceback" not in err


def test_check_validates_the_methodology_texts(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from smecyber.methodology import texts

    broken = tmp_path / "texts.yaml"
    broken.write_text('level.0: {en: "Not started", sv: "Ej påbörjat", lv: "Nav sākts"}\n', encoding="utf-8")
    monkeypatch.setattr(texts, "TEXTS_FILE", broken)
    code, _, err = run(capsys, "check", "--questionnaire", str(FIXTURE))
    assert code == 1
    assert "methodology/texts.yaml: level.0: text in 'lt' is missing or empty" in err.splitlines()


@pytest.mark.parametrize("argv", [
    ["catalog"], ["catalog", "lint"], ["catalog", "export", "--format", "xml"], ["catalog", "check", "--fast"],
])
def test_bad_options_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("smecyber: error: ") and err.count("\n") == 1


def test_missing_questionnaire_dir_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for action in ("check", "export"):
        code, out, err = run(capsys, action, "--questionnaire", str(tmp_path / "nope"))
        assert (code, out) == (2, "")
        assert err == f"smecyber: error: --questionnaire {str(tmp_path / 'nope')!r} is not a directory\n"


# ---- export: JSON -----------------------------------------------------------------------------------------


def test_export_json_has_every_object_in_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--format", "json", "--questionnaire", str(FIXTURE))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    q = load_questionnaire(FIXTURE)
    catalog = load_catalog()
    assert doc["version"] == "test.1" and doc["languages"] == LANGS
    assert [x["id"] for x in doc["questions"]] == list(q.questions)
    assert [x["id"] for x in doc["areas"]] == list(q.areas)
    assert [x["id"] for x in doc["recommendations"]] == list(q.recommendations)
    assert [x["key"] for x in doc["findings"]] == catalog.keys()
    assert {fw: [i["id"] for i in items] for fw, items in doc["frameworks"].items()} == {
        "nis2": ["a"], "cra": ["I.2.a", "II.1"], "gdpr": ["32.1.b"], "eurostat": ["E_SECPOL2"]}
    assert [x["id"] for x in doc["nis2_sectors"]] == ["energy.electricity", "digital_providers"]
    texts = texts_in(doc)
    assert len(texts) > 3 * len(catalog)
    for by_lang in texts:
        assert list(by_lang) == LANGS and all(by_lang[lang].strip() for lang in LANGS), by_lang


def test_export_json_mappings_and_links(capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(run(capsys, "export", "--questionnaire", str(FIXTURE))[1])  # json is the default
    questions = {x["id"]: x for x in doc["questions"]}
    risk = questions["governance.risk_review"]
    assert risk["applies"] == {"size_band": ["large", "medium", "small"]} and risk["gdpr"] == ["32.1.b"]
    assert risk["csf"] == ["GV.RM-01", "ID.RA-01"] and risk["weight"] == 2 and risk["scale"] == "practice"
    dev = questions["development.dependencies"]
    assert dev["applies"] == {"places_products": True}
    assert dev["applies_effective"] == {"places_products": True, "builds_software": True}  # software-only area
    assert dev["text"]["question"]["lv"] == "[lv] Do you track the components your software uses?"
    recs = {x["id"]: x for x in doc["recommendations"]}
    owner = recs["rec.name_owner"]
    assert owner["questions"] == ["governance.owner", "governance.risk_review"]
    assert owner["raise_likelihood"] == [{"nis2_sector": True}, {"size_band": ["large", "medium"],
                                                                 "personal_data": True}]
    assert owner["references"] == [{"title": "NIST CSF 2.0", "url": "https://www.nist.gov/cyberframework"}]
    all_keys = load_catalog().keys()
    dmarc_keys = [k for k in all_keys if k.startswith("mail.dmarc.")]
    assert recs["rec.dmarc"]["finding_keys"] == dmarc_keys and recs["rec.dmarc"]["questions"] == []
    findings = {x["key"]: x for x in doc["findings"]}
    assert all(findings[k]["recommendation"] == "rec.dmarc" for k in dmarc_keys)
    assert findings["dns.caa.missing"]["recommendation"] is None
    entry = load_catalog().entry("dns.caa.missing", "sv")
    assert findings["dns.caa.missing"]["text"]["how"]["sv"] == entry.how
    assert findings["dns.caa.missing"]["severity"] == entry.severity and findings["dns.caa.missing"]["csf"]
    scale = next(s for s in doc["scales"] if s["id"] == "practice")
    assert [(st["key"], st["value"]) for st in scale["steps"]] == [
        ("0", 0.0), ("0.25", 0.25), ("0.5", 0.5), ("1", 1.0), ("na", None)]
    frameworks = {fw: {i["id"]: i for i in items} for fw, items in doc["frameworks"].items()}
    assert frameworks["cra"]["II.1"]["questions"] == ["development.dependencies"]


def test_export_refuses_an_invalid_catalog(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    d = tmp_path / "q"
    shutil.copytree(FIXTURE, d)
    (d / "meta.yaml").write_text("version: 1\n", encoding="utf-8")
    code, out, err = run(capsys, "export", "--questionnaire", str(d))
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("meta.yaml: version must be a quoted string")
    assert "smecyber catalog check" in err.splitlines()[-1]


# ---- export: CSV ------------------------------------------------------------------------------------------


def test_export_csv_file_has_a_row_per_text_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "catalog.csv"
    code, out, err = run(capsys, "export", "--format", "csv", "--output", str(target), "--questionnaire", str(FIXTURE))
    assert (code, out, err) == (0, "", "")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0].keys() >= {"kind", "id", "field", *LANGS, "area", "severity", "effort", "csf", "nis2", "cra",
                              "gdpr", "eurostat", "applies", "recommendations", "findings"}
    catalog = load_catalog()
    q = load_questionnaire(FIXTURE)
    expected = (2 * len(q.areas) + 2 * sum(len(s.steps) for s in q.scales.values()) + 2 * len(q.questions)
                + 3 * len(q.recommendations) + 3 * len(catalog)
                + sum(len(items) for items in q.frameworks.values()) + len(q.nis2_sectors))
    assert len(rows) == expected
    assert len({(r["kind"], r["id"], r["field"]) for r in rows}) == len(rows)
    assert all(r[lang].strip() for r in rows for lang in LANGS)
    by_key = {(r["kind"], r["id"], r["field"]): r for r in rows}
    help_row = by_key[("question", "development.dependencies", "help")]
    assert help_row["sv"] == "[sv] A list of libraries and versions."
    assert (help_row["area"], help_row["cra"], help_row["csf"], help_row["recommendations"]) == (
        "development", "I.2.a, II.1", "ID.AM-02", "rec.track_dependencies")
    assert help_row["applies"] == "places_products: true; builds_software: true (software area)"
    how = by_key[("recommendation", "rec.name_owner", "how")]
    assert how["en"] == "1. Pick one person.\n2. Write their name down."  # multi-line cell survives
    assert how["raise_likelihood"] == "nis2_sector: true | size_band: large, medium; personal_data: true"
    assert (how["severity"], how["effort"], how["owner"]) == ("high", "low", "sme")
    keys = catalog.keys()
    dmarc = next(k for k in keys if k.startswith("mail.dmarc."))
    finding = by_key[("finding", dmarc, "title")]
    assert finding["recommendations"] == "rec.dmarc" and finding["lt"] == catalog.entry(dmarc, "lt").title
    assert by_key[("scale_step", "practice:0.25", "label")]["lv"] == "[lv] Ad hoc"
    assert by_key[("framework_item", "gdpr:32.1.b", "title")]["gdpr"] == "32.1.b"
    assert by_key[("nis2_sector", "energy.electricity", "title")]["annex"] == "I"


def test_export_csv_to_stdout_starts_with_a_bom(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--format", "csv", "--questionnaire", str(FIXTURE))
    assert code == 0 and out.startswith("\ufeffkind,id,field,en,sv,lv,lt,")


def test_export_to_an_unwritable_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "missing" / "catalog.json"
    code, out, err = run(capsys, "export", "--output", str(target), "--questionnaire", str(FIXTURE))
    assert (code, out) == (2, "")
    assert err.startswith(f"smecyber: error: cannot write {target}: ") and err.count("\n") == 1


def test_packaged_catalog_exports_every_question(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export")
    assert (code, err) == (0, ""), err
    doc = json.loads(out)
    assert [x["id"] for x in doc["questions"]] == list(load_questionnaire().questions)
    assert all(list(t) == LANGS for t in texts_in(doc))
