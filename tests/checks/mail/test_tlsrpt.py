from __future__ import annotations

from smecyber.checks.mail.tlsrpt import check_tlsrpt
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "rpt.test"
BASE = {D: [("MX", "10 mail.rpt.test.")], "mail.rpt.test": [("A", "127.0.0.1")]}


async def _run(*records: str) -> list:
    return await run_check(check_tlsrpt, {**BASE, f"_smtp._tls.{D}": [("TXT", r) for r in records]}, D)


async def test_valid_record() -> None:
    f = await _run("v=TLSRPTv1; rua=mailto:tls@rpt.test,https://r.rpt.test/report")
    assert by_key(f, "mail.tlsrpt.ok").status is Status.PASS


async def test_missing_invalid_and_multiple() -> None:
    assert keys(await run_check(check_tlsrpt, BASE, D)) == {"mail.tlsrpt.missing"}
    f = await _run("v=TLSRPTv1; rua=ftp://x.test")
    assert by_key(f, "mail.tlsrpt.invalid").status is Status.WARN
    assert keys(await _run("v=TLSRPTv1; rua=mailto:a@rpt.test", "v=TLSRPTv1; rua=mailto:b@rpt.test")) == {
        "mail.tlsrpt.multiple_records"}


async def test_not_applicable_for_null_mx() -> None:
    assert keys(await run_check(check_tlsrpt, {D: [("MX", "0 .")]}, D)) == {"mail.tlsrpt.not_applicable"}
