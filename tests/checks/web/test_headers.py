# ruff: noqa: E501
"""web.headers: the MDN HTTP Observatory grade, reimplemented.

Every expected score and grade below was confirmed with the released reference scanner
(npm @mdn/mdn-http-observatory 1.4.8, algorithm version 4) run on loopback hosts serving the same
responses (tools/observatory_compare.py; the case names in the comments are its case names).
"""

from __future__ import annotations

import pytest

from smecyber.checks.model import Area, Status
from smecyber.checks.scoring import compute_grades, group_grade, letter_for
from smecyber.checks.web.headers import check_headers, finding_key, to_finding
from smecyber.checks.web.observatory.analyzer import analyze, load_table, score
from smecyber.checks.web.observatory.csp import InvalidPolicyError, grade_csp, parse_csp
from smecyber.checks.web.observatory.headers import fold_headers
from smecyber.checks.web.observatory.model import ObsResponse, Retrieval

from .conftest import WebLab, keys, run_check

HOST = "site.test"
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
BASIC = [HSTS, ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]
STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"
PAGE = "<!doctype html><html><head><title>t</title></head><body>hi</body></html>"


def site(headers: list[tuple[str, str]], *, body: str = PAGE, content_type: str = "text/html; charset=utf-8",
         status: int = 200, cookies: list[str] = (), http: str = "redirect", verified: bool = True) -> Retrieval:
    """A retrieval as the Observatory would gather it from a site serving ``headers`` on https://HOST/."""
    hdrs = [("Content-Type", content_type), *headers, *(("Set-Cookie", c) for c in cookies)]
    https = ObsResponse(f"https://{HOST}/", status, fold_headers(hdrs), body, verified)
    r = Retrieval(hostname=HOST, https=https, auto=https, session_url=f"https://{HOST}/")
    r.cookie_sources = [(c, f"https://{HOST}/") for c in cookies]
    routes = {
        "redirect": [(f"http://{HOST}/", 301), (f"https://{HOST}/", status)],
        "serve": [(f"http://{HOST}/", status)],
        "other": [(f"http://{HOST}/", 301), (f"https://other.{HOST}/", status)],
        "http_first": [(f"http://{HOST}/", 301), (f"http://{HOST}/step", 301), (f"https://{HOST}/", status)],
    }
    if http != "none":
        r.http_route = routes[http]
        r.http = ObsResponse(r.http_route[-1][0], status, https.headers, body, verified)
    return r


def grade(r: Retrieval) -> tuple[int, str]:
    s = score(analyze(r))
    return s, letter_for(s)


@pytest.mark.parametrize(("case", "retrieval", "expected"), [
    ("bare", site([]), (30, "D")),
    ("basic", site(BASIC), (75, "B")),
    ("aplus", site([*BASIC, ("Content-Security-Policy", STRICT_CSP), ("Cross-Origin-Resource-Policy", "same-origin")],
                   cookies=["__Host-session=1; Path=/; Secure; HttpOnly; SameSite=Strict"]), (135, "A+")),
    ("csp-self", site([*BASIC, ("Content-Security-Policy", "default-src 'self'")]), (110, "A+")),
    ("csp-unsafe-inline", site([*BASIC, ("Content-Security-Policy", "default-src 'self' 'unsafe-inline'")]), (80, "B+")),
    ("csp-nonce-inline", site([*BASIC, ("Content-Security-Policy", "default-src 'nonce-abc' 'unsafe-inline'")]),
     (110, "A+")),
    ("csp-sd-no-nonce", site([*BASIC, ("Content-Security-Policy", "script-src 'strict-dynamic'; object-src 'none'")]),
     (75, "B")),
    ("csp-strict-dynamic", site([*BASIC, ("Content-Security-Policy",
                                          "script-src 'nonce-abc' 'strict-dynamic' https: 'self'; object-src 'none'")]),
     (105, "A+")),
    ("csp-duplicate", site([*BASIC, ("Content-Security-Policy", "default-src 'self'; default-src 'none'")]), (75, "B")),
    ("csp-dup-report", site([*BASIC, ("Content-Security-Policy", "default-src 'none'; report-uri /a; report-uri /b")]),
     (105, "A+")),
    ("csp-two-headers", site([*BASIC, ("Content-Security-Policy", "default-src 'self'"),
                              ("Content-Security-Policy", "script-src 'none'")]), (110, "A+")),
    ("csp-report-only", site([*BASIC, ("Content-Security-Policy-Report-Only", "default-src 'none'")]), (75, "B")),
    ("csp-meta", site(BASIC, body="<html><head><meta http-equiv=\"Content-Security-Policy\" "
                      "content=\"default-src 'none'; frame-ancestors 'none'\"></head><body></body></html>"), (120, "A+")),
    ("csp-meta-fa-only", site([HSTS, ("X-Content-Type-Options", "nosniff")], body="<html><head><meta http-equiv="
                              "\"content-security-policy\" content=\"frame-ancestors 'none'\"></head></html>"), (55, "C")),
    ("csp-passive-http", site([*BASIC, ("Content-Security-Policy", "default-src 'self'; img-src http://x.example")]),
     (95, "A")),
    ("cookies-bad", site(BASIC, cookies=["sessionid=1; Path=/", "csrftoken=2; Secure"]), (45, "C-")),
    ("cookies-samesite-invalid", site(BASIC, cookies=["a=1; Secure; HttpOnly; SameSite=Bogus"]), (55, "C")),
    ("cookies-session-nohttponly", site(BASIC, cookies=["PHPSESSID=1; Secure; SameSite=Lax"]), (45, "C-")),
    ("xfo-twice", site([HSTS, ("X-Frame-Options", "DENY"), ("X-Frame-Options", "DENY")]), (50, "C")),
    ("xcto-twice", site([HSTS, ("X-Content-Type-Options", "nosniff"), ("X-Content-Type-Options", "nosniff")]),
     (50, "C")),
    ("referrer-meta", site([HSTS, ("X-Content-Type-Options", "nosniff")],
                           body="<html><head><meta name=\"referrer\" content=\"origin\"></head></html>"), (50, "C")),
    ("hsts-short", site([*BASIC[1:], ("Strict-Transport-Security", "max-age=3600")]), (65, "B-")),
    ("hsts-nan", site([*BASIC[1:], ("Strict-Transport-Security", "max-age=\"31536000\"")]), (75, "B")),
    ("hsts-twice", site([*BASIC[1:], ("Strict-Transport-Security", "max-age=31536000"),
                         ("Strict-Transport-Security", "max-age=31536000")]), (55, "C")),
    ("no-redirect", site(BASIC, http="serve"), (55, "C")),
    ("redirect-other-host", site(BASIC, http="other"), (70, "B")),
    ("redirect-http-first", site(BASIC, http="http_first"), (65, "B-")),
    ("no-http", site(BASIC, http="none"), (75, "B")),
    ("corp-same-site", site([*BASIC, ("Content-Security-Policy", STRICT_CSP),
                             ("Cross-Origin-Resource-Policy", "same-site")]), (130, "A+")),
    ("sri-external-http", site(BASIC, body="<html><head><script src=\"http://cdn.example.com/a.js\"></script>"
                               "</head></html>"), (25, "D-")),
    ("sri-external-integrity", site([*BASIC, ("Content-Security-Policy", STRICT_CSP)], body="<html><head><script "
                                    "src=\"https://cdn.example.com/a.js\" integrity=\"sha384-x\"></script></head></html>"),
     (125, "A+")),
    ("sri-protocol-relative", site(BASIC, body="<html><script src=\"//cdn.example.com/a.js\" integrity=\"sha384-x\">"
                                   "</script></html>"), (55, "C")),
    ("not-html", site(BASIC, content_type="application/json", body="{\"a\": 1}"), (75, "B")),
])
def test_score_and_grade_equal_reference(case: str, retrieval: Retrieval, expected: tuple[int, str]) -> None:
    assert grade(retrieval) == expected, case


def test_untrusted_certificate_reference_35_d() -> None:
    # case untrusted-cert: http redirects to an https site whose certificate is not trusted
    assert grade(site(BASIC, verified=False, cookies=["sess=1; Secure; HttpOnly"])) == (35, "D")


def test_cors_with_reflected_origin_and_credentials_is_restricted_in_1_4_8() -> None:
    r = site(BASIC)
    r.cors = ObsResponse(f"https://{HOST}/", 200, fold_headers([
        ("Access-Control-Allow-Origin", "https://http-observatory.security.mozilla.org"),
        ("Access-Control-Allow-Credentials", "true")]))
    results = {t.name: t.result for t in analyze(r)}
    assert results["cross-origin-resource-sharing"] == "cross-origin-resource-sharing-implemented-with-restricted-access"
    assert grade(r) == (75, "B")  # case cors-echo-credentials


def test_every_test_of_1_4_8_is_run_once() -> None:
    names = [t.name for t in analyze(site(BASIC))]
    assert names == list(load_table().tests)
    assert len(names) == 10


def test_findings_carry_points_and_evidence() -> None:
    results = analyze(site([*BASIC, ("Content-Security-Policy", "default-src 'self' 'unsafe-inline'")]))
    csp = to_finding(results[0])
    assert csp.key == "web.headers.csp_implemented_with_unsafe_inline"
    assert csp.points == -20 and csp.status is Status.FAIL and csp.score_group == "web_headers"
    assert csp.evidence["header"] == ["default-src 'self' 'unsafe-inline'"]
    assert group_grade("web_headers", [to_finding(t) for t in results]).letter == "B+"


def test_finding_key_normalises_result_names() -> None:
    assert finding_key("x-frame-options-sameorigin-or-deny") == "web.headers.x_frame_options_sameorigin_or_deny"


def test_csp_parser_rules() -> None:
    assert parse_csp(["default-src 'self'; img-src"])["img-src"] == {"'none'"}
    with pytest.raises(InvalidPolicyError):
        parse_csp(["a b"])  # shorter than the shortest meaningful policy
    with pytest.raises(InvalidPolicyError):
        parse_csp(["script-src a; script-src b"])
    # two policies: a source counts only when both allow it
    merged = parse_csp(["default-src https://a.example/ https://b.example/", "default-src https://a.example/x"])
    assert merged["default-src"] == {"https://a.example/x"}
    assert grade_csp(["default-src 'none'"], [], None, True).result == "csp-implemented-with-no-unsafe-default-src-none"
    assert grade_csp([], ["frame-ancestors 'none'"], None, True).result == "csp-not-implemented"
    assert grade_csp(["script-src 'self' 'unsafe-eval'; object-src 'none'"], [], None, True).result == \
        "csp-implemented-with-unsafe-eval"


async def test_check_over_the_network_matches_reference(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_headers, "good")  # same responses as reference case "basic"
    g = group_grade("web_headers", findings)
    assert g is not None and (g.score, g.letter) == (75, "B")
    assert "web.headers.redirection_to_https" in keys(findings)


async def test_no_web_server_is_not_scored(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_headers, "reset")
    assert keys(findings) == ["web.headers.not_scored"]
    assert "web_headers" not in compute_grades(findings, [Area.WEB])  # the Observatory gives no grade either


async def test_hostile_server_is_not_scored_as_error(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_headers, "slow", operation=2.0)
    assert keys(findings) == ["web.headers.not_scored"]
    assert findings[0].status is Status.ERROR
