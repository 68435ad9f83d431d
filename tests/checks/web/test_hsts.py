"""web.hsts: header syntax (RFC 6797) and the one-year rule (internet.nl)."""

from __future__ import annotations

import pytest

from smecyber.checks.model import Status
from smecyber.checks.web.hsts import check_hsts, parse_sts

from .conftest import WebLab, keys, run_check


@pytest.mark.parametrize(("value", "ok"), [
    ("max-age=31536000", True),
    ("max-age=31536000; includeSubDomains; preload", True),
    ('max-age="31536000"', True),
    ("MAX-AGE=10 ; includesubdomains", True),
    ("includeSubDomains", False),
    ("max-age=1; max-age=2", False),
    ("max-age=abc", False),
    ("max-age=1, max-age=2", False),
    ("max-age=1; includeSubDomains=\"unterminated", False),
    # RFC 6797 s6.1: unknown directives are ignored, their quoted values may hold ';'
    ('max-age=31536000; foo="a;b"; includeSubDomains', True),
    ("max-age=31536000;; ;includeSubDomains;", True),  # empty directives are allowed by the grammar
    ("max-age = 31536000 ;\tpreload", True),  # LWS around '=' and ';'
    ("max-age=31536000\x0b", False),  # only SP and HT are LWS
    ("max-age=\"\u00b2\"", False),  # s6.1.1: delta-seconds is ASCII DIGITs (and int() would crash on it)
    ("max-age=\"\u0663\"", False),
    ("max-age=31536000; includeSubDomains=true", False),  # s6.1.2: valueless directive
    ("max-age=31536000; includeSubDomains=\"\"", False),
    ("max-age=31536000; preload=1", True),  # preload is not in RFC 6797: an unknown directive
    ("max-age=31536000; foo=\"a\x01\"", False),  # control characters are not qdtext
    ("max-age=", False),
    ("", False),
])
def test_parse_sts(value: str, ok: bool) -> None:
    assert (parse_sts(value) is not None) is ok


def test_quoted_max_age_is_unescaped() -> None:
    # RFC 6797 s6.1.1: the max-age value is read "after quoted-string unescaping"
    assert parse_sts('max-age="3153600\\0"') == {"max-age": "31536000"}
    assert parse_sts('MAX-AGE="10"; INCLUDESUBDOMAINS') == {"max-age": "10", "includesubdomains": None}


@pytest.mark.parametrize(("case", "expected"), [
    ("good", ["web.hsts.ok"]),
    ("no-hsts", ["web.hsts.missing"]),
    ("hsts-short", ["web.hsts.max_age_short", "web.hsts.no_include_subdomains"]),
    ("hsts-zero", ["web.hsts.disabled"]),
    ("hsts-bad", ["web.hsts.invalid"]),
    ("reset", ["web.hsts.no_https"]),
])
async def test_hsts_verdicts(web_lab: WebLab, case: str, expected: list[str]) -> None:
    findings = await run_check(web_lab, check_hsts, case)
    assert keys(findings) == expected


async def test_short_max_age_costs_points_and_warns(web_lab: WebLab) -> None:
    finding = (await run_check(web_lab, check_hsts, "hsts-short"))[0]
    assert finding.status is Status.WARN and finding.points < 0
    assert finding.evidence["max_age"] == 3600
