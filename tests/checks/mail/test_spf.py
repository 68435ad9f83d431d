from __future__ import annotations

from smecyber.checks.mail.spf import check_spf
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "spf.test"
MX = [("MX", "10 mail.spf.test.")]
MAIL = {"mail.spf.test": [("A", "127.0.0.1")]}


def zone(record: str | list[str], **extra: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    records = [record] if isinstance(record, str) else record
    z = {D: [*MX, *(("TXT", r) for r in records)], **MAIL}
    z.update({k.replace("_", "."): v for k, v in extra.items()})
    return z


async def test_strict_record_passes_with_chain_and_count() -> None:
    z = zone("v=spf1 mx include:_spf.prov.test -all")
    z["_spf.prov.test"] = [("TXT", "v=spf1 ip4:192.0.2.0/24 ~all")]
    f = await run_check(check_spf, z, D)
    ok = by_key(f, "mail.spf.ok")
    assert ok.status is Status.PASS and ok.evidence["lookups"] == 2 and ok.evidence["all"] == "-"
    assert ok.evidence["chain"]["includes"][0]["domain"] == "_spf.prov.test"


async def test_missing() -> None:
    f = await run_check(check_spf, {D: [*MX, ("TXT", "something else")], **MAIL}, D)
    assert keys(f) == {"mail.spf.missing"}


async def test_multiple_records_are_permerror() -> None:
    f = await run_check(check_spf, zone(["v=spf1 -all", "v=spf1 mx -all"]), D)
    assert by_key(f, "mail.spf.multiple_records").status is Status.FAIL


async def test_plus_all_fails_and_softfail_is_info() -> None:
    assert by_key(await run_check(check_spf, zone("v=spf1 +all"), D), "mail.spf.plus_all").status is Status.FAIL
    f = await run_check(check_spf, zone("v=spf1 mx ~all"), D)
    assert by_key(f, "mail.spf.softfail_all").status is Status.INFO
    assert "mail.spf.ok" in keys(f)


async def test_neutral_or_missing_all_warns() -> None:
    for record in ("v=spf1 mx ?all", "v=spf1 mx"):
        f = await run_check(check_spf, zone(record), D)
        assert by_key(f, "mail.spf.neutral_all").status is Status.WARN


async def test_redirect_decides_the_all() -> None:
    z = zone("v=spf1 redirect=_spf.spf.test")
    z["_spf.spf.test"] = [("TXT", "v=spf1 +all")]
    assert "mail.spf.plus_all" in keys(await run_check(check_spf, z, D))


async def test_syntax_error_names_the_term() -> None:
    f = await run_check(check_spf, zone("v=spf1 ip4:192.0.2.0/33 -all"), D)
    assert by_key(f, "mail.spf.syntax_error").evidence["problems"][0]["term"] == "ip4:192.0.2.0/33"


async def test_more_than_ten_lookups_counted_across_includes() -> None:
    z = zone("v=spf1 include:a.inc.test include:b.inc.test -all")
    z["a.inc.test"] = [("TXT", "v=spf1 " + " ".join(f"a:h{i}.inc.test" for i in range(5)) + " ~all")]
    z["b.inc.test"] = [("TXT", "v=spf1 " + " ".join(f"a:h{i}.inc.test" for i in range(5)) + " ~all")]
    for i in range(5):
        z[f"h{i}.inc.test"] = [("A", "192.0.2.1")]
    f = await run_check(check_spf, z, D)
    assert by_key(f, "mail.spf.too_many_lookups").evidence["lookups"] == 12


async def test_void_lookups_over_two() -> None:
    f = await run_check(check_spf, zone("v=spf1 a:x1.spf.test a:x2.spf.test a:x3.spf.test -all"), D)
    assert by_key(f, "mail.spf.too_many_void_lookups").evidence["void_lookups"] == 3


async def test_missing_include_target_and_loop() -> None:
    f = await run_check(check_spf, zone("v=spf1 include:nothing.test -all"), D)
    assert "mail.spf.include_missing" in keys(f)
    z = zone("v=spf1 include:loop.test -all")
    z["loop.test"] = [("TXT", "v=spf1 include:spf.test -all")]
    assert "mail.spf.loop" in keys(await run_check(check_spf, z, D))


async def test_mx_mechanism_with_more_than_ten_names() -> None:
    z = zone("v=spf1 mx:big.test -all")
    z["big.test"] = [("MX", f"{i} m{i}.big.test.") for i in range(11)]
    assert "mail.spf.mx_too_many" in keys(await run_check(check_spf, z, D))


async def test_ptr_discouraged() -> None:
    assert by_key(await run_check(check_spf, zone("v=spf1 ptr -all"), D), "mail.spf.ptr_used").status is Status.WARN


async def test_null_mx_expects_dash_all_only() -> None:
    z = {D: [("MX", "0 ."), ("TXT", "v=spf1 a ~all")], }
    z[D].append(("A", "127.0.0.1"))
    assert "mail.spf.null_mx_not_strict" in keys(await run_check(check_spf, z, D))
    z = {D: [("MX", "0 ."), ("TXT", "v=spf1 -all")]}
    assert keys(await run_check(check_spf, z, D)) == {"mail.spf.ok"}


async def test_lookup_failure_is_error() -> None:
    f = await run_check(check_spf, zone("v=spf1 -all"), D, server_options={"servfail": [D]})
    assert keys(f) == {"mail.spf.lookup_failed"}


async def test_include_of_plus_all_authorises_everyone() -> None:
    # s5.2: the include matches every sender, so check_host() never reaches "-all"
    z = zone("v=spf1 include:open.test -all")
    z["open.test"] = [("TXT", "v=spf1 +all")]
    assert "mail.spf.plus_all" in keys(await run_check(check_spf, z, D))


async def test_temperror_before_permerror_is_a_temperror() -> None:
    z = zone("v=spf1 include:broken.test a:x1.spf.test a:x2.spf.test a:x3.spf.test -all")
    z["broken.test"] = [("TXT", "v=spf1 -all")]
    f = await run_check(check_spf, z, D, server_options={"servfail": ["broken.test"]})
    assert keys(f) == {"mail.spf.lookup_failed"}
    assert any(p["code"] == "too_many_void_lookups" for p in f[0].evidence["problems"])
