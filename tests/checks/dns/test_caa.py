"""dns.caa: tree climbing (RFC 8659 s3), record syntax, unknown critical tags, lookup failures."""

from __future__ import annotations

import pytest

from smecyber.checks.dns.caa import caa_names, check_caa
from smecyber.checks.dns.caa_syntax import iodef_problem, issuer_value_problems, record_problems
from smecyber.checks.dns.tree import climb
from smecyber.checks.model import Status

from .conftest import keys, run_check
from .fake_dns import FakeDns


def test_climb_stops_before_the_tld() -> None:
    assert climb("a.b.example.test") == ["a.b.example.test", "b.example.test", "example.test"]
    assert climb("example.test") == ["example.test"]


async def test_valid_caa_at_the_domain(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "letsencrypt.org"', '0 iodef "mailto:security@example.test"')
    [f] = await run_check(check_caa, "example.test", fake_dns)
    assert (f.key, f.status, f.points) == ("dns.caa.ok", Status.PASS, 0)
    assert f.evidence["found_at"] == "example.test"
    assert f.evidence["records"] == ['0 iodef "mailto:security@example.test"', '0 issue "letsencrypt.org"']


async def test_caa_found_at_closest_ancestor(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "letsencrypt.org"')
    fake_dns.add("b.example.test", "A", "192.0.2.1")
    fake_dns.add("a.b.example.test", "A", "192.0.2.1")
    [f] = await run_check(check_caa, "a.b.example.test", fake_dns)
    assert f.key == "dns.caa.ok"
    assert f.evidence["found_at"] == "example.test"
    assert f.evidence["checked"] == ["a.b.example.test", "b.example.test", "example.test"]


async def test_nearest_record_set_wins(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "bad issuer!"')
    fake_dns.add("www.example.test", "CAA", '0 issue "letsencrypt.org"')
    [f] = await run_check(check_caa, "www.example.test", fake_dns)
    assert (f.key, f.evidence["found_at"]) == ("dns.caa.ok", "www.example.test")
    assert fake_dns.queries("example.test", "CAA") == []  # no need to climb further


def test_caa_names_include_the_tld_not_the_root() -> None:
    # RFC 8659 s3: RelevantCAASet climbs "for domain is not '.'": the TLD is searched, the root is not
    assert caa_names("a.b.example.test") == ["a.b.example.test", "b.example.test", "example.test", "test"]
    assert caa_names("example.test.") == ["example.test", "test"]


async def test_missing_caa_asks_the_tld_but_not_the_root(fake_dns: FakeDns) -> None:
    fake_dns.add("www.example.test", "A", "192.0.2.1")
    [f] = await run_check(check_caa, "www.example.test", fake_dns)
    assert (f.key, f.status) == ("dns.caa.missing", Status.WARN)
    assert f.points < 0
    assert f.evidence["checked"] == ["www.example.test", "example.test", "test"]
    assert fake_dns.queries("", "CAA") == []


async def test_caa_at_the_tld_is_the_relevant_set(fake_dns: FakeDns) -> None:
    # RFC 8659 s3: a CA that finds no CAA below uses the TLD's record set
    fake_dns.add("www.example.test", "A", "192.0.2.1")
    fake_dns.add("test", "CAA", '0 issue "tld-ca.example"')
    [f] = await run_check(check_caa, "www.example.test", fake_dns)
    assert (f.key, f.evidence["found_at"]) == ("dns.caa.ok", "test")


async def test_issuewild_alone_leaves_names_unrestricted(fake_dns: FakeDns) -> None:
    # RFC 8659 s4.3: issuewild is ignored for non-wildcard names, so without "issue" any CA may issue them
    fake_dns.add("example.test", "CAA", '0 issuewild "letsencrypt.org"')
    assert keys(await run_check(check_caa, "example.test", fake_dns)) == {"dns.caa.no_issue"}


async def test_unknown_critical_tag_forbids_issuance(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "letsencrypt.org"', '128 futuretag "x"')
    findings = await run_check(check_caa, "example.test", fake_dns)
    assert keys(findings) == {"dns.caa.unknown_critical"}
    [f] = findings
    assert f.status is Status.FAIL
    assert f.evidence["critical_unknown"] == ['128 futuretag "x"']


async def test_unknown_non_critical_tag_is_ignored(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "letsencrypt.org"', '0 futuretag "x"')
    [f] = await run_check(check_caa, "example.test", fake_dns)
    assert f.key == "dns.caa.ok"
    assert f.evidence["ignored_unknown_tags"] == ['0 futuretag "x"']


async def test_invalid_records_are_listed(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 issue "https://letsencrypt.org"', '0 iodef "security@example.test"',
                 '5 issuewild "letsencrypt.org"')
    findings = await run_check(check_caa, "example.test", fake_dns)
    assert keys(findings) == {"dns.caa.invalid"}
    problems = findings[0].evidence["problems"]
    assert len(problems) == 3
    assert {p["record"] for p in problems} == {
        '0 issue "https://letsencrypt.org"', '0 iodef "security@example.test"', '5 issuewild "letsencrypt.org"',
    }


async def test_caa_without_issue_restricts_nothing(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "CAA", '0 iodef "mailto:security@example.test"')
    findings = await run_check(check_caa, "example.test", fake_dns)
    assert keys(findings) == {"dns.caa.no_issue"}


async def test_lookup_failure_is_an_error_not_missing(fake_dns: FakeDns) -> None:
    fake_dns.add("www.example.test", "A", "192.0.2.1")
    fake_dns.rcodes[("example.test", "CAA")] = "SERVFAIL"
    [f] = await run_check(check_caa, "www.example.test", fake_dns)
    assert (f.key, f.status, f.points) == ("dns.caa.lookup_failed", Status.ERROR, 0)
    assert f.evidence["rcode"] == "SERVFAIL"


@pytest.mark.parametrize("value", [
    "letsencrypt.org", "", ";", "  letsencrypt.org  ", "letsencrypt.org; accounturi=https://x.example/acct/1",
    "ca.example; validationmethods=dns-01 ; accounturi=x", "letsencrypt.org;", "x--y.example",
    "letsencrypt",  # RFC 8659 s4.2: issuer-domain-name = label *("." label): one label is grammatical
    "ca.example;  ", "ca.example; a=", "ca.example;a=b;\tc=d",
])
def test_valid_issuer_values(value: str) -> None:
    assert issuer_value_problems(value) == []


@pytest.mark.parametrize("value", [
    "https://letsencrypt.org", "-bad.example", "bad-.example", "lets encrypt.org",
    "ca.example; nameonly", "ca.example; a=b c", "ca..example",
    # RFC 8659 s4.2: no empty parameter between or after name=value pairs
    "ca.example; a=b;", "ca.example; a=b;; c=d", "ca.example;; a=b",
    "letsencrypt.org\n", "ca.example; a=b\n",  # a newline is not WSP
])
def test_invalid_issuer_values(value: str) -> None:
    assert issuer_value_problems(value)


@pytest.mark.parametrize(("value", "ok"), [
    ("mailto:security@example.test", True), ("https://example.test/caa", True), ("http://example.test/", True),
    ("security@example.test", False), ("mailto:nobody", False), ("ftp://example.test/", False), ("https://", False),
])
def test_iodef_values(value: str, ok: bool) -> None:
    assert (iodef_problem(value) is None) is ok


def test_flags_and_other_tags() -> None:
    assert record_problems(0, "issue", "letsencrypt.org") == []
    assert record_problems(128, "ISSUE", "letsencrypt.org") == []  # tags match case-insensitively
    assert record_problems(1, "issue", "letsencrypt.org")
    assert record_problems(0, "issuemail", "ca.example") == []
    assert record_problems(0, "contactemail", "not-an-address")
    assert record_problems(0, "contactemail", "pki@example.test") == []
    # RFC 8659 s4.1: a tag is ASCII letters and digits only
    assert record_problems(0, "future-tag", "x")
    assert record_problems(0, "Future9", "x") == []
