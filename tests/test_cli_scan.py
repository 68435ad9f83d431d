"""`smecyber scan` against the lab, in-process (so the network guard watches it)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from smecyber.cli import main
from smecyber.lab.lab import Lab
from smecyber.report.json_report import schema_text
from tests.lab.conftest_lab import LabScan

SCHEMA = json.loads(schema_text())


def _scan(lab: Lab, *args: str) -> list[str]:
    return ["scan", "--nameserver", lab.nameserver, "--ca-file", str(lab.ca_file), "--allow-loopback", *args]


def test_json_document_matches_schema_and_carries_grades(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_scan(lab, "--json", "good.test"))
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert code == 0, [f for f in doc["domains"][0]["findings"] if f["status"] == "fail"]
    (domain,) = doc["domains"]
    assert domain["domain"] == "good.test"
    assert set(domain["grades"]) >= {"web_headers", "tls", "mail", "dns", "overall"}
    assert domain["grades"]["web_headers"]["letter"] in ("A+", "A")
    assert domain["grades"]["overall"]["letter"].startswith("A")
    assert doc["config"]["depth"] == "deep"
    checks = {f["check"] for f in domain["findings"]}
    assert {"web.hsts", "web.headers", "tls.protocols", "mail.spf", "mail.dmarc", "dns.dnssec"} <= checks
    for f in domain["findings"]:
        assert f["title"] and not f["title"].startswith(f["key"])


def test_failing_domain_exits_1_and_names_the_fix(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_scan(lab, "--json", "spf-plusall.test"))
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    keys = {f["key"] for f in doc["domains"][0]["top_fixes"]}
    assert "mail.spf.plus_all" in keys


def test_areas_limit_the_checks(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    main(_scan(lab, "--json", "--areas", "mail", "good.test"))
    doc = json.loads(capsys.readouterr().out)
    assert {f["check"].split(".")[0] for f in doc["domains"][0]["findings"]} == {"mail"}
    assert set(doc["domains"][0]["grades"]) == {"mail", "overall"}


def test_input_file_and_unicode_name(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lst = tmp_path / "domains.txt"
    lst.write_text("# lab domains\ngood.test\nGOOD.test.\ndmarc-none.test\n", encoding="utf-8")
    main(_scan(lab, "--json", "--input", str(lst), "--areas", "dns"))
    doc = json.loads(capsys.readouterr().out)
    assert [d["domain"] for d in doc["domains"]] == ["good.test", "dmarc-none.test"]  # duplicates folded
    assert doc["config"]["depth"] == "sweep"  # many domains default to sweep


@pytest.mark.parametrize(("lang", "word"), [("en", "Top fixes"), ("sv", "Viktigaste åtgärderna"),
                                             ("lv", "Svarīgākie labojumi"), ("lt", "Svarbiausi pataisymai")])
def test_text_report_in_the_users_language(lab: Lab, capsys: pytest.CaptureFixture[str], lang: str,
                                           word: str) -> None:
    code = main(_scan(lab, "--no-color", "--lang", lang, "dmarc-none.test"))
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "dmarc-none.test" in out
    assert word in out


def test_many_domains_give_a_summary_table(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    domains = ["good.test", "dmarc-none.test", "spf-plusall.test", "single-ns.test"]
    main(_scan(lab, "--no-color", "--areas", "dns,mail", *domains))
    out = capsys.readouterr().out
    for d in domains:
        assert d in out
    assert "Summary" in out


def test_domain_that_does_not_exist(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_scan(lab, "--json", "no-such-domain.test"))
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    (domain,) = doc["domains"]
    assert code == 1
    assert "does not exist" in domain["error"]
    assert [f["key"] for f in domain["findings"]] == ["engine.domain_not_found"]
    assert domain["grades"] == {}


def test_unicode_name_is_scanned_as_punycode(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_scan(lab, "--json", "--areas", "web,dns", "BÜCHER.test"))
    doc = json.loads(capsys.readouterr().out)
    (domain,) = doc["domains"]
    assert (domain["domain"], domain["input"], domain["display_name"]) == (
        "xn--bcher-kva.test", "BÜCHER.test", "bücher.test")
    assert domain["error"] is None and code == 0
    assert domain["grades"]["web_headers"]["letter"].startswith("A")


def test_every_lab_result_serialises_to_the_schema(lab_scan: LabScan) -> None:
    """Evidence of every check on every lab domain (hostile ones included) is plain JSON and fits the schema."""
    from smecyber.report.json_report import scan_document

    doc = scan_document(lab_scan.config, list(lab_scan.results.values()), 0.0, 1.0, "lt")
    text = json.dumps(doc, allow_nan=False)  # raises on bytes, datetimes, sets, NaN
    jsonschema.validate(json.loads(text), SCHEMA)
    assert len(doc["domains"]) == len(lab_scan.results)
