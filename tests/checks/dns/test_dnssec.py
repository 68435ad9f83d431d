"""dns.dnssec against a scripted validating resolver: secure, insecure, bogus, and a resolver that does
not validate (which must not be reported as the domain's fault)."""

from __future__ import annotations

from smecyber.checks.dns.dnssec import check_dnssec
from smecyber.checks.model import Status

from .conftest import keys, run_check
from .fake_dns import FakeDns

SOA = "ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300"
DNSKEY = "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
DS = "12345 13 2 " + "ab" * 32


def zone(server: FakeDns, name: str = "example.test", *, signed: bool = True, ds: bool = True) -> None:
    server.add(name, "SOA", SOA)
    server.add("test", "SOA", "a.test. b.test. 1 3600 600 86400 300")
    if signed:
        server.add(name, "DNSKEY", DNSKEY)
    if ds:
        server.add(name, "DS", DS)


async def test_secure_when_answer_is_authenticated(fake_dns: FakeDns) -> None:
    zone(fake_dns)
    fake_dns.secure = {"test"}
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status, f.points) == ("dns.dnssec.secure", Status.PASS, 0)
    assert f.evidence["soa"] == {"rcode": "NOERROR", "ad": True}
    assert f.evidence["dnskey_records"] == 1 and f.evidence["ds_records"] == 1
    assert f.score_group == "dns"


async def test_bogus_when_servfail_clears_with_checking_disabled(fake_dns: FakeDns) -> None:
    zone(fake_dns)
    fake_dns.secure = {"test"}
    fake_dns.bogus = {"example.test"}
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status) == ("dns.dnssec.bogus", Status.FAIL)
    assert f.points < 0
    assert f.evidence["soa"]["rcode"] == "SERVFAIL"
    assert f.evidence["soa_checking_disabled"]["rcode"] == "NOERROR"
    assert ("example.test", "SOA", True) in fake_dns.log
    assert f.evidence["dnskey_records"] == 1  # read with CD, so a bogus zone still shows its keys


async def test_servfail_even_with_cd_is_a_lookup_failure_not_bogus(fake_dns: FakeDns) -> None:
    zone(fake_dns)
    fake_dns.rcodes[("example.test", "SOA")] = "SERVFAIL"
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status, f.points) == ("dns.dnssec.lookup_failed", Status.ERROR, 0)


async def test_timeout_is_a_lookup_failure(fake_dns: FakeDns) -> None:
    zone(fake_dns)
    fake_dns.rcodes[("example.test", "SOA")] = "DROP"
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert f.key == "dns.dnssec.lookup_failed"
    assert f.evidence["soa"]["rcode"] == "TIMEOUT"


async def test_insecure_when_resolver_validates_but_domain_is_unsigned(fake_dns: FakeDns) -> None:
    zone(fake_dns, signed=False, ds=False)
    fake_dns.secure, fake_dns.insecure = {"test"}, {"example.test"}
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status) == ("dns.dnssec.insecure", Status.WARN)
    assert f.points < 0
    assert f.evidence["resolver_validates"] is True
    assert f.evidence["validation_probe"] == {"name": "test.", "rcode": "NOERROR", "ad": True}
    assert f.evidence["dnskey_records"] == 0 and f.evidence["ds_records"] == 0


async def test_signed_without_ds_is_reported_as_ds_missing(fake_dns: FakeDns) -> None:
    zone(fake_dns, signed=True, ds=False)
    fake_dns.secure, fake_dns.insecure = {"test"}, {"example.test"}
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status) == ("dns.dnssec.ds_missing", Status.WARN)


async def test_non_validating_resolver_gives_no_verdict(fake_dns: FakeDns) -> None:
    zone(fake_dns)  # signed, with DS, but the resolver never sets AD
    [f] = await run_check(check_dnssec, "example.test", fake_dns)
    assert (f.key, f.status, f.points) == ("dns.dnssec.not_validated", Status.INFO, 0)
    assert f.evidence["resolver_validates"] is False
    assert f.evidence["dnskey_records"] == 1 and f.evidence["ds_records"] == 1


async def test_root_is_never_probed(fake_dns: FakeDns) -> None:
    zone(fake_dns, signed=False, ds=False)
    findings = await run_check(check_dnssec, "www.example.test", fake_dns)
    assert keys(findings) == {"dns.dnssec.not_validated"}
    # "." would send the lab's resolver to the internet's root servers
    assert "" not in {name for name, _, _ in fake_dns.log}
    assert ("test", "SOA", False) in fake_dns.log
