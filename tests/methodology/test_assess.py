"""assess(): everything about one SME in one call, and its JSON document."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from smecyber.methodology.assess import SCHEMA_FILE, assess, result_document
from smecyber.methodology.plan import PlanFinding
from smecyber.methodology.profile import Profile

from .builders import sample

ANSWERS = {"governance.responsible": "1", "governance.policy": "0.5", "backups.offline_copy": "0.25",
           "backups.restore_test": "0", "email_web.anti_spoofing": "0.5", "access.mfa": "1",
           "development.sbom": "0.25", "development.vuln_handling": "0.5", "development.secure_default": "1"}


@pytest.mark.parametrize(("size", "employees", "scope"), [("small", 30, "out"), ("medium", 120, "important"),
                                                          ("large", 400, "essential")])
def test_software_company_in_a_nis2_sector(size: str, employees: int, scope: str) -> None:
    profile = Profile(country="LT", sector="J", size_band=size, employees=employees, turnover_meur=9.0,
                      builds_software=True, places_products=True, nis2_sector="energy.electricity")
    result = assess(sample(), profile, ANSWERS, today=date(2026, 9, 11))
    assert "development" in [a.area for a in result.maturity.areas]
    assert result.nis2.scope == scope and result.nis2.size == size
    assert result.cra.applies and result.cra.readiness is not None
    assert [m.in_force for m in result.cra.milestones] == [True, True, False]
    assert "rec.sbom" in [i.key for i in result.plan]


def test_benchmark_through_assess() -> None:
    q = sample()
    profile = Profile(size_band="micro")
    own = assess(q, profile, ANSWERS).maturity.overall
    assert own is not None
    hidden = assess(q, profile, ANSWERS, group_scores=[own, 1.0, 2.0, 3.0])
    assert not hidden.benchmark.shown and hidden.benchmark.reason == "benchmark.too_few"
    shown = assess(q, profile, ANSWERS, group_scores=[own, 1.0, 2.0, 3.0, 4.0])
    assert shown.benchmark.shown and shown.benchmark.percentile is not None
    assert assess(q, profile, ANSWERS).benchmark.reason == "benchmark.no_data"


@pytest.mark.parametrize("lang", ["en", "sv", "lv", "lt"])
def test_result_document_validates_in_every_language(lang: str) -> None:
    q = sample()
    profile = Profile(country="LV", size_band="medium", employees=80, turnover_meur=12.5, builds_software=True,
                      places_products=True, nis2_sector="digital_providers")
    result = assess(q, profile, ANSWERS, findings=[PlanFinding("mail.dmarc.missing", "fail", "high", "a.lv"),
                                                   PlanFinding("web.hsts.missing", "warn", "medium", "a.lv")],
                    group_scores=[1.0, 2.0, 2.5, 3.0, 3.5], today=date(2027, 12, 11))
    doc = result_document(result, q, lang)
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    json.dumps(doc)  # JSON-ready: no dates, sets or dataclasses left
    assert doc["benchmark"]["shown"] and doc["nis2"]["scope"] == "important" and doc["nis2"]["annex"] == "II"
    assert all(m["in_force"] for m in doc["cra"]["milestones"])
    assert doc["plan"][0]["rank"] == 1 and doc["plan"][0]["owner_name"]
    kinds = {p["key"]: p["kind"] for p in doc["plan"]}
    assert kinds["rec.anti_spoofing"] == "recommendation"
    assert kinds["finding:web.headers.hsts_not_implemented"] == "finding"
    if lang == "lv":
        assert "12,5 milj. EUR" in json.dumps(doc, ensure_ascii=False)
