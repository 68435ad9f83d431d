"""Runs the Observatory's tests on a :class:`Retrieval` and scores them with the modifier table (YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import rules
from .cookies import CookieJar, grade_cookies
from .csp import grade_csp
from .headers import all_values, first_value
from .html import PageFacts, page_facts
from .model import Retrieval, TestResult
from .sri import subresource_integrity

MODIFIERS_FILE = Path(__file__).with_name("modifiers.yaml")


@dataclass(frozen=True, slots=True)
class ModifierTable:
    source: str
    extra_credit_minimum: int
    tests: dict[str, dict[str, int]]  # test name -> result name -> modifier
    status_min: int
    status_max: int
    status_also: frozenset[int]

    def modifier(self, test: str, result: str) -> int:
        return self.tests[test][result]

    def gradable_status(self, status: int) -> bool:
        return self.status_min <= status <= self.status_max or status in self.status_also


@lru_cache(maxsize=4)
def load_table(path: Path = MODIFIERS_FILE) -> ModifierTable:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    st = raw["allowed_statuses"]
    tests = {str(t): {str(k): int(v) for k, v in results.items()} for t, results in raw["tests"].items()}
    return ModifierTable(str(raw["source"]), int(raw["extra_credit_minimum"]), tests, int(st["min"]),
                         int(st["max"]), frozenset(int(s) for s in st.get("also", [])))


def _page(r: Retrieval) -> tuple[PageFacts, bool]:
    html = rules.is_html(r)
    if r.auto is not None and html and r.auto.body:
        return page_facts(r.auto.body), True
    return PageFacts(), html


def analyze(r: Retrieval, table: ModifierTable | None = None) -> list[TestResult]:
    """Every Observatory test on ``r``, in the Observatory's order, each with its score modifier."""
    table = table or load_table()
    page, html = _page(r)
    auto = r.auto
    if auto is not None and r.session_url:
        report_only = first_value(auto.headers, "content-security-policy-report-only")
        csp = grade_csp(all_values(auto.headers, "content-security-policy"), page.csp_meta, report_only,
                        r.session_url.startswith("https:"))
    else:
        from .csp import CspVerdict

        csp = CspVerdict("csp-not-implemented")
    csp_evidence: dict[str, Any] = {"header": all_values(auto.headers, "content-security-policy") if auto else []}
    if page.csp_meta:
        csp_evidence["meta"] = page.csp_meta
    if csp.data is not None:
        csp_evidence["policy"] = csp.data
    hsts_result, hsts_data = rules.strict_transport_security(r)
    jar = CookieJar()
    for raw, url in r.cookie_sources:
        jar.set_cookie(raw, url)
    raw_final = all_values(auto.headers, "set-cookie") if auto else []
    cookie_result, cookie_data = grade_cookies(raw_final, jar.cookies(), rules.hsts_passes(hsts_result))
    if raw_final:
        cookie_data = {"set-cookie": raw_final[:20], "jar": cookie_data}
    verdicts: list[tuple[str, str, dict[str, Any]]] = [
        ("content-security-policy", csp.result, csp_evidence),
        ("cookies", cookie_result, cookie_data),
        ("cross-origin-resource-sharing", *rules.cors(r)),
        ("redirection", *rules.redirection(r)),
        ("referrer-policy", *rules.referrer_policy(r, page)),
        ("strict-transport-security", hsts_result, hsts_data),
        ("subresource-integrity", *subresource_integrity(r, page, html)),
        ("x-content-type-options", *rules.x_content_type_options(r)),
        ("x-frame-options", *rules.x_frame_options(r, csp.data)),
        ("cross-origin-resource-policy", *rules.cross_origin_resource_policy(r)),
    ]
    return [TestResult(name, result, table.modifier(name, result), table.modifier(name, result) >= 0, data)
            for name, result, data in verdicts]


def score(results: list[TestResult], table: ModifierTable | None = None) -> int:
    """The Observatory's score: penalties always, bonuses only when the penalties leave an A."""
    table = table or load_table()
    uncurved = 100 + sum(t.modifier for t in results if t.modifier < 0)
    total = 100 + sum(t.modifier for t in results)
    return max(total if uncurved >= table.extra_credit_minimum else uncurved, 0)
