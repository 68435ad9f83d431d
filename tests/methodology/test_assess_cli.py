"""`smecyber assess`: exit codes, messages for bad input, the JSON document and the merge of scan findings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.cli import main
from smecyber.methodology.assess import SCHEMA_FILE

SHOP = """\
profile: {country: LV, sector: G, size_band: micro, employees: 4, turnover_meur: 0.6, balance_sheet_meur: 0.3}
answers:
  governance.responsible: 0.5
  backups.offline_copy: 0
  backups.restore_test: 0.25
  email_web.anti_spoofing: 0
  access.mfa: 1
"""
MAKER = """\
profile: {country: LT, sector: J, size_band: small, builds_software: true, places_products: true}
answers: {development.sbom: 0.5, development.vuln_handling: 1, governance.responsible: 1}
"""


def _schema() -> dict:  # type: ignore[type-arg]
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["assess", *args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_document(sample_q: Questionnaire, write, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _run(capsys, "--answers", str(write(SHOP)), "--json", "--date", "2026-10-01")
    assert code == 0 and err == ""
    doc = json.loads(out)
    jsonschema.validate(doc, _schema())
    assert doc["date"] == "2026-10-01" and doc["language"] == "en"
    assert doc["maturity"]["applicable"] == 5 and doc["maturity"]["answered"] == 5
    # 4 * (3*0.5 + 3*0 + 2*0.25 + 2*0 + 3*1) / 13 = 1.54 -> 1.5
    assert doc["maturity"]["overall"] == 1.5 and doc["maturity"]["level_name"] == "First steps"
    assert doc["benchmark"]["reason"] == "benchmark.no_data"
    assert doc["nis2"]["scope"] == "out" and doc["nis2"]["reasons"][-1]["key"] == "nis2.disclaimer"
    assert doc["cra"]["applies"] is False
    assert [m["in_force"] for m in doc["cra"]["milestones"]] == [True, True, False]
    assert [p["rank"] for p in doc["plan"]] == list(range(1, len(doc["plan"]) + 1))
    keys = [p["key"] for p in doc["plan"]]
    assert set(keys) == {"rec.responsible", "rec.backups", "rec.anti_spoofing"}  # MFA answered 1: no item


def test_findings_merge_into_the_plan(sample_q: Questionnaire, write, capsys) -> None:  # type: ignore[no-untyped-def]
    scan = {"schema_version": "1.0", "domains": [{
        "domain": "xn--veikals-abc.lv", "display_name": "veikals.lv", "findings": [
            {"key": "mail.dmarc.missing", "status": "fail", "severity": "high", "check": "mail.dmarc"},
            {"key": "mail.spf.ok", "status": "pass", "severity": "none"},
            {"key": "web.hsts.missing", "status": "fail", "severity": "medium"},
        ]}]}
    scan_path = write(json.dumps(scan), "scan.json")
    code, out, _ = _run(capsys, "--answers", str(write(SHOP)), "--findings", str(scan_path), "--json")
    assert code == 0
    plan = {p["key"]: p for p in json.loads(out)["plan"]}
    spoofing = plan["rec.anti_spoofing"]
    assert spoofing["questions"] == [{"question": "email_web.anti_spoofing", "answer": "0"}]
    assert spoofing["findings"] == [{"key": "mail.dmarc.missing", "status": "fail", "domain": "veikals.lv"}]
    assert spoofing["checked_by_scans"] is True
    assert "finding:web.headers.hsts_not_implemented" in plan
    assert not any("mail.spf.ok" in json.dumps(p) for p in plan.values())


def test_text_output(sample_q: Questionnaire, write, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(capsys, "--answers", str(write(SHOP)), "--no-color", "--date", "2026-10-01")
    assert code == 0
    for needle in ("Maturity per area (0–4)", "Overall", "What lowered it", "Probably not covered by NIS2",
                   "not legal advice", "Action plan: do these first", "Title rec.backups", "Your company"):
        assert needle in out, needle
    assert "Cyber Resilience Act" not in out  # the CRA section only when it applies
    code, out, _ = _run(capsys, "--answers", str(write(MAKER)), "--no-color", "--date", "2026-10-01",
                        "--lang", "lt")
    assert code == 0
    assert "Kibernetinio atsparumo aktas (CRA)" in out and "2027-12-11" in out
    assert "Pasirengimas I priedo reikalavimams" in out


@pytest.mark.parametrize(
    ("content", "extra", "needles"),
    [
        (None, [], ["cannot read the file: No such file or directory"]),
        ("profile: [\n", [], ["not valid YAML (line"]),
        ("profile: {size_band: micro}\nanswers: {backups.nope: 1, access.mfa: 0.5}\n", [],
         ["backups.nope: unknown question id", "access.mfa: 0.5 is not an answer of this question"]),
        ("profile: {size_band: tiny, country: Latvia}\n", [], ["country 'Latvia'", "size_band 'tiny'"]),
        (SHOP, ["--lang", "de"], ["language 'de' is not supported"]),
        (SHOP, ["--date", "11.09.2026"], ["--date '11.09.2026' is not a date"]),
        (SHOP, ["--findings", "/nonexistent/scan.json"], ["/nonexistent/scan.json: cannot read the file"]),
        ("profile: {size_band: micro}\nanswers: {[a, b]: 1}\n", [], ["not valid YAML (line 2, column 11): a list "
                                                                       "cannot be a key"]),
    ],
)
def test_bad_input_exit_2_one_problem_per_line(sample_q: Questionnaire, write, capsys, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               content: str | None, extra: list[str], needles: list[str]) -> None:
    path = tmp_path / "missing.yaml" if content is None else write(content)
    code, out, err = _run(capsys, "--answers", str(path), *extra)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == len(needles)
    for line, needle in zip(lines, needles, strict=True):
        assert line.startswith("smecyber: error: ") and needle in line
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("scan", "needle"),
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ('{"domains": 3}', "not the output of `smecyber scan --json`"),
        ('{"domains": [{"findings": [{"key": "mail.dmarc.missing"}]}]}', "needs key, status and severity"),
        ('{"domains": ' + "[" * 100_000 + "]" * 100_000 + "}", "not valid JSON: nested too deeply"),
    ],
)
def test_bad_findings_file(sample_q: Questionnaire, write, capsys, scan: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(capsys, "--answers", str(write(SHOP)), "--findings", str(write(scan, "scan.json")))
    assert code == 2 and needle in err and "Traceback" not in err


def test_answers_option_is_required(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(capsys)
    assert code == 2 and "--answers" in err


def test_an_endless_file_is_refused_not_read_forever(capsys: pytest.CaptureFixture[str]) -> None:
    from smecyber.cli import main

    assert main(["assess", "--answers", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "larger than" in err and "Traceback" not in err
