from __future__ import annotations

import pytest

from smecyber.checks.mail.mta_sts import check_mta_sts, mx_matches, parse_policy
from smecyber.checks.model import Status
from smecyber.checks.net import FetchResult, HttpResponse
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "sts.test"
ZONE = {D: [("MX", "10 mail.sts.test.")], "mail.sts.test": [("A", "127.0.0.1")],
        f"_mta-sts.{D}": [("TXT", "v=STSv1; id=20240601")]}
GOOD = "version: STSv1\r\nmode: enforce\r\nmx: *.sts.test\r\nmax_age: 604800\r\n"


def serve(monkeypatch: pytest.MonkeyPatch, body: str, *, status: int = 200, ctype: str = "text/plain",
          error: str | None = None) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []

    async def fetch(self: object, url: str, **kw: object) -> FetchResult:
        calls.append({"url": url, **kw})
        if error:
            return FetchResult(url, error=error, error_kind="tls")
        return FetchResult(url, [HttpResponse(url, status, [("content-type", ctype)], body.encode())])

    monkeypatch.setattr("smecyber.checks.net.HttpFetcher.fetch", fetch)
    return calls


async def test_enforced_policy_covering_the_mx_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = serve(monkeypatch, GOOD)
    f = await run_check(check_mta_sts, ZONE, D)
    assert keys(f) == {"mail.mta_sts.ok"}
    assert calls[0]["url"] == "https://mta-sts.sts.test/.well-known/mta-sts.txt"
    assert calls[0]["verify"] is True and calls[0]["follow"] is False


async def test_mx_mismatch_in_enforce_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, GOOD.replace("*.sts.test", "mx.elsewhere.test"))
    f = await run_check(check_mta_sts, ZONE, D)
    assert by_key(f, "mail.mta_sts.mx_mismatch").evidence["unmatched_mx"] == ["mail.sts.test"]


async def test_untrusted_certificate_and_bad_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, "", error="certificate not trusted")
    assert by_key(await run_check(check_mta_sts, ZONE, D), "mail.mta_sts.policy_unavailable").status is Status.FAIL
    serve(monkeypatch, "version: STSv1\nmode: strict\nmax_age: x\n", ctype="text/html")
    bad = by_key(await run_check(check_mta_sts, ZONE, D), "mail.mta_sts.policy_invalid")
    assert len(bad.evidence["problems"]) == 3


async def test_testing_mode_missing_record_and_bad_id(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, GOOD.replace("enforce", "testing").replace("604800", "3600"))
    assert {"mail.mta_sts.testing", "mail.mta_sts.max_age_short"} <= keys(await run_check(check_mta_sts, ZONE, D))
    no_txt = {k: v for k, v in ZONE.items() if not k.startswith("_mta-sts")}
    assert keys(await run_check(check_mta_sts, no_txt, D)) == {"mail.mta_sts.missing"}
    bad_id = {**ZONE, f"_mta-sts.{D}": [("TXT", "v=STSv1; id=not-valid!")]}
    assert keys(await run_check(check_mta_sts, bad_id, D)) == {"mail.mta_sts.record_invalid"}


def test_mx_pattern_rules() -> None:
    assert mx_matches("mail.example.test", "*.example.test")
    assert not mx_matches("a.mail.example.test", "*.example.test")  # one label only
    assert not mx_matches("example.test", "*.example.test")
    assert mx_matches("MAIL.example.test.", "mail.example.test")
    assert parse_policy(GOOD).problems == []


def test_record_syntax_rfc8461_s3_1() -> None:
    from smecyber.checks.mail.mta_sts import record_problem

    assert record_problem("v=STSv1; id=20240601") is None
    assert record_problem("v=STSv1 ;id=abc;") is None  # *WSP around ";" and a trailing delimiter
    assert record_problem("v=STSv1; id=abc; ext_1=some-value") is None  # extension fields are allowed
    assert record_problem("v=STSv1; id=abc; id=x-y") is None  # first id counts (s3.2)
    assert record_problem("v=STSv1; id = abc") is not None  # no spaces around "="
    assert record_problem("v=STSv1; ID=abc") is not None  # "id=" is case-sensitive: no id at all
    assert record_problem("v=STSv1; id=abc; ext=a b") is not None  # SP is not an sts-ext-value char
    assert record_problem("v=STSv1; id=abc; =x") is not None
    assert record_problem("v=STSv1; id=abc\n") is not None
    assert record_problem("v=STSv1; x=1") == "id must be 1-32 letters and digits"


async def test_extension_field_in_record_passes_and_bad_field_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, GOOD)
    ext = {**ZONE, f"_mta-sts.{D}": [("TXT", "v=STSv1; id=20240601; foo=bar")]}
    assert keys(await run_check(check_mta_sts, ext, D)) == {"mail.mta_sts.ok"}
    bad = {**ZONE, f"_mta-sts.{D}": [("TXT", "v=STSv1; id=20240601; foo")]}
    assert keys(await run_check(check_mta_sts, bad, D)) == {"mail.mta_sts.record_invalid"}
    # a record with another version is discarded, so two records where only one is v=STSv1 are fine
    two = {**ZONE, f"_mta-sts.{D}": [("TXT", "v=STSv1; id=20240601"), ("TXT", "v=spf1 -all")]}
    assert keys(await run_check(check_mta_sts, two, D)) == {"mail.mta_sts.ok"}


def test_policy_syntax_rfc8461_s3_2() -> None:
    lf = "version: STSv1\nmode: enforce\nmx: mail.sts.test\nmax_age: 86400"
    assert parse_policy(lf).problems == []  # LF, no final terminator
    assert parse_policy(lf + "\n").problems == []
    assert parse_policy(lf + "\nfoo_bar: any value: here\n").problems == []  # unknown fields allowed
    assert parse_policy(lf.replace("mode", "Mode")).problems  # keys are case-sensitive: mode missing
    assert parse_policy(lf.replace("enforce", "Enforce")).problems
    assert parse_policy(" " + lf).problems  # no leading whitespace before a field
    assert parse_policy(lf.replace("\nmx", "\n\nmx")).problems  # no empty line between fields
    assert parse_policy(lf.replace("86400", "+86400")).problems
    assert parse_policy(lf.replace("86400", "31557601")).problems
    assert parse_policy(lf.replace("86400", "\u00b2")).problems  # a non-ASCII digit is no DIGIT
    assert parse_policy(lf + "\nmode: testing").first("mode") == "enforce"  # first occurrence counts
    assert parse_policy(lf + "\nfoo:").problems  # an extension value is not empty
    none = "version: STSv1\r\nmode: none\r\nmax_age: 0\r\n"
    assert parse_policy(none).problems == []  # mx not required with mode none
    assert parse_policy("mode: enforce\nmx: a.test\nmax_age: 1\n").problems == ["no version field"]


def test_mx_pattern_syntax_rfc8461_s3_2() -> None:
    ok = "version: STSv1\nmode: enforce\nmax_age: 86400\nmx: "
    for pattern in ("mail.sts.test", "*.sts.test", "MX1.Sts.Test", "localhost"):
        assert parse_policy(ok + pattern).problems == [], pattern
    for pattern in ("mail.sts.test.", "*mail.sts.test", "mail.*.test", "-mx.sts.test", "mx-.sts.test", "*.", ""):
        assert parse_policy(ok + pattern).problems, pattern


def test_trailing_blank_lines_are_tolerated() -> None:
    from smecyber.checks.mail.mta_sts import parse_policy

    pol = parse_policy("version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 604800\r\n\r\n\n")
    assert pol.problems == []
    assert parse_policy("version: STSv1\n\nmode: enforce\nmx: m.example.test\nmax_age: 1\n").problems == ["empty line"]
