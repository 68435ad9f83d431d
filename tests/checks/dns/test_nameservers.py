"""dns.nameservers: count, resolvability, address diversity, non-public addresses, zone apex lookup."""
# Addresses here are data only (nothing connects to them); documentation ranges such as 192.0.2.0/24 are
# not used because the check rightly reports them as non-public.

from __future__ import annotations

from smecyber.checks.dns.nameservers import check_nameservers
from smecyber.checks.model import Status

from .conftest import keys, run_check
from .fake_dns import FakeDns


async def test_two_resolvable_nameservers_on_different_networks(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns2.other.test.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    fake_dns.add("ns2.other.test", "A", "6.0.0.1")
    fake_dns.add("ns2.other.test", "AAAA", "2a00:1::1")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.ok"}
    [f] = findings
    assert f.status is Status.PASS
    assert f.evidence["zone"] == "example.test"
    assert f.evidence["nameservers"] == ["ns1.example.test", "ns2.other.test"]
    assert f.evidence["addresses"]["ns2.other.test"] == ["6.0.0.1", "2a00:1::1"]


async def test_single_nameserver(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.single"}
    assert findings[0].status is Status.WARN and findings[0].points < 0


async def test_unresolvable_nameserver(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns.gone.test.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.unresolvable"}
    assert findings[0].evidence["unresolvable"] == {"ns.gone.test": "NXDOMAIN"}


async def test_all_nameservers_on_one_address(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns2.example.test.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    fake_dns.add("ns2.example.test", "A", "5.0.0.1")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.ok", "dns.nameservers.same_address"}
    info = next(f for f in findings if f.key == "dns.nameservers.same_address")
    assert (info.status, info.points) == (Status.INFO, 0)


async def test_all_nameservers_in_one_network(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns2.example.test.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    fake_dns.add("ns2.example.test", "A", "5.0.0.200")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.ok", "dns.nameservers.same_network"}


async def test_private_nameserver_address(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns2.example.test.")
    fake_dns.add("ns1.example.test", "A", "10.0.0.1")
    fake_dns.add("ns2.example.test", "A", "6.0.0.1")
    findings = await run_check(check_nameservers, "example.test", fake_dns, allow_loopback=False)
    assert keys(findings) == {"dns.nameservers.non_public_address"}
    assert findings[0].evidence["non_public"] == {"10.0.0.1": "private address"}


async def test_www_name_uses_the_zone_apex(fake_dns: FakeDns) -> None:
    fake_dns.add("www.example.test", "A", "192.0.2.10")
    fake_dns.add("example.test", "NS", "ns1.example.test.", "ns2.example.net.")
    fake_dns.add("ns1.example.test", "A", "5.0.0.1")
    fake_dns.add("ns2.example.net", "A", "7.0.0.1")
    findings = await run_check(check_nameservers, "www.example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.ok"}
    assert findings[0].evidence["zone"] == "example.test"


async def test_no_nameservers(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "A", "5.0.0.1")
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.missing"}
    assert findings[0].status is Status.FAIL


async def test_lookup_failure(fake_dns: FakeDns) -> None:
    fake_dns.rcodes[("example.test", "NS")] = "REFUSED"
    [f] = await run_check(check_nameservers, "example.test", fake_dns)
    assert (f.key, f.status, f.evidence["rcode"]) == ("dns.nameservers.lookup_failed", Status.ERROR, "REFUSED")


async def test_bogus_zone_is_read_with_checking_disabled(fake_dns: FakeDns) -> None:
    fake_dns.add("example.test", "NS", "ns1.provider.test.", "ns2.example.net.")  # out of the bogus zone
    fake_dns.add("ns1.provider.test", "A", "5.0.0.1")
    fake_dns.add("ns2.example.net", "A", "7.0.0.1")
    fake_dns.bogus = {"example.test"}
    findings = await run_check(check_nameservers, "example.test", fake_dns)
    assert keys(findings) == {"dns.nameservers.ok"}
    assert findings[0].evidence["read_with_checking_disabled"] is True
