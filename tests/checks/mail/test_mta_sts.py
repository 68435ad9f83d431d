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
