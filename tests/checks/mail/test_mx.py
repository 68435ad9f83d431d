from __future__ import annotations

from smecyber.checks.mail.mx import check_mx, get_mx_set
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import ZoneServer, by_key, domain_context, keys, run_check

D = "mx.test"


async def test_mx_ok() -> None:
    zone = {D: [("MX", "10 mail.mx.test."), ("MX", "20 mail2.mx.test.")],
            "mail.mx.test": [("A", "127.0.0.1")], "mail2.mx.test": [("AAAA", "::1")]}
    f = await run_check(check_mx, zone, D)
    ok = by_key(f, "mail.mx.ok")
    assert ok.status is Status.PASS
    assert [h["host"] for h in ok.evidence["hosts"]] == ["mail.mx.test", "mail2.mx.test"]


async def test_null_mx() -> None:
    f = await run_check(check_mx, {D: [("MX", "0 .")]}, D)
    assert keys(f) == {"mail.mx.null_mx"}


async def test_null_mx_mixed_with_other_mx() -> None:
    zone = {D: [("MX", "0 ."), ("MX", "10 mail.mx.test.")], "mail.mx.test": [("A", "127.0.0.1")]}
    f = await run_check(check_mx, zone, D)
    assert by_key(f, "mail.mx.null_mx_mixed").status is Status.FAIL


async def test_no_mx() -> None:
    f = await run_check(check_mx, {D: [("A", "127.0.0.1")]}, D)
    assert by_key(f, "mail.mx.none").status is Status.WARN


async def test_nxdomain() -> None:
    f = await run_check(check_mx, {"other.test": [("A", "127.0.0.1")]}, D)
    assert keys(f) == {"mail.mx.domain_missing"}


async def test_cname_ip_literal_and_unresolvable_targets() -> None:
    zone = {D: [("MX", "10 alias.mx.test."), ("MX", "20 192.0.2.1."), ("MX", "30 gone.mx.test.")],
            "alias.mx.test": [("CNAME", "real.mx.test.")], "real.mx.test": [("A", "127.0.0.1")]}
    f = await run_check(check_mx, zone, D)
    assert by_key(f, "mail.mx.cname").subject == "alias.mx.test"
    assert by_key(f, "mail.mx.ip_literal").subject == "192.0.2.1"
    assert by_key(f, "mail.mx.unresolvable").subject == "gone.mx.test"
    assert "mail.mx.ok" not in keys(f)


async def test_private_address_is_unroutable() -> None:
    zone = {D: [("MX", "10 mail.mx.test.")], "mail.mx.test": [("A", "10.1.2.3")]}
    f = await run_check(check_mx, zone, D)
    assert by_key(f, "mail.mx.unroutable").evidence["refused"] == {"10.1.2.3": "private address"}


async def test_mx_set_is_memoised_per_domain() -> None:
    zone = {D: [("MX", "10 mail.mx.test.")], "mail.mx.test": [("A", "127.0.0.1")]}
    with ZoneServer(zone) as server:
        async with domain_context(server, D) as ctx:
            first = await get_mx_set(ctx)
            n = len(server.queries)
            assert await get_mx_set(ctx) is first
            assert len(server.queries) == n
    assert first.accepts_mail and first.hosts[0].addresses == ["127.0.0.1"]
