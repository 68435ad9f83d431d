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


def test_record_syntax_rfc8460_s3() -> None:
    from smecyber.checks.mail.tlsrpt import record_problems

    assert record_problems("v=TLSRPTv1;rua=mailto:tls@rpt.test") == []
    assert record_problems("v=TLSRPTv1 ; rua=mailto:a@rpt.test , https://r.rpt.test/x;") == []
    assert record_problems("v=TLSRPTv1; rua=mailto:a@rpt.test; ext-1=value") == []  # extension fields
    assert record_problems("v=TLSRPTv1; rua=mailto:a@rpt.test; ext=two words")  # SP not in ext-value
    assert record_problems("v=TLSRPTv1; RUA=mailto:a@rpt.test") == ["the rua tag is missing"]  # %s"rua="
    assert record_problems("v=TLSRPTv1; rua = mailto:a@rpt.test")  # no spaces around "="
    assert record_problems("v=TLSRPTv1; rua=mailto:a@rpt.test!10m")  # "!" must be percent-encoded
    assert record_problems("v=TLSRPTv1; rua=mailto:a@rpt.test,")  # an empty URI
    assert record_problems("v=TLSRPTv1; rua=http://r.rpt.test/")
    assert record_problems("v=TLSRPTv1; rua=mailto:a@rpt.test; bogus")


async def test_other_version_is_discarded_not_counted() -> None:
    # RFC 8460 s3: only records beginning with "v=TLSRPTv1;" count; "v=TLSRPTv10" is not one of them
    f = await _run("v=TLSRPTv1; rua=mailto:tls@rpt.test", "v=TLSRPTv10; rua=mailto:b@rpt.test")
    assert keys(f) == {"mail.tlsrpt.ok"}
    assert keys(await _run("v=TLSRPTv10; rua=mailto:b@rpt.test")) == {"mail.tlsrpt.missing"}
