from __future__ import annotations

from smecyber.checks.mail.dmarc import check_dmarc
from smecyber.checks.mail.dmarc_record import parse_dmarc, walk_targets
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "dm.test"
BASE = {D: [("MX", "10 mail.dm.test.")], "mail.dm.test": [("A", "127.0.0.1")]}


def zone(record: str, **extra: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    return {**BASE, f"_dmarc.{D}": [("TXT", record)], **extra}


async def test_reject_passes() -> None:
    f = await run_check(check_dmarc, zone("v=DMARC1; p=reject; rua=mailto:d@dm.test"), D)
    assert keys(f) == {"mail.dmarc.ok", "mail.dmarc.policy_reject"}
    assert by_key(f, "mail.dmarc.ok").evidence["source"] == "domain"


async def test_missing() -> None:
    f = await run_check(check_dmarc, BASE, D)
    assert keys(f) == {"mail.dmarc.missing"}
    assert by_key(f, "mail.dmarc.missing").evidence["queried"] == ["_dmarc.dm.test", "_dmarc.test"]


async def test_policy_none_warns_quarantine_info_testing_warns() -> None:
    f = await run_check(check_dmarc, zone("v=DMARC1; p=none; rua=mailto:d@dm.test"), D)
    assert by_key(f, "mail.dmarc.policy_none").status is Status.WARN
    f = await run_check(check_dmarc, zone("v=DMARC1; p=quarantine; t=y; rua=mailto:d@dm.test"), D)
    assert by_key(f, "mail.dmarc.policy_quarantine").status is Status.INFO
    assert by_key(f, "mail.dmarc.testing").status is Status.WARN


async def test_syntax_errors_name_the_tag() -> None:
    f = await run_check(check_dmarc, zone("v=DMARC1; p=reject; adkim=x; rua=https://x.test/"), D)
    tags = {x.evidence["tag"] for x in f if x.key == "mail.dmarc.syntax_error"}
    assert tags == {"adkim", "rua"}
    f = await run_check(check_dmarc, zone("v=DMARC1; p=block"), D)
    assert by_key(f, "mail.dmarc.syntax_error").status is Status.FAIL


async def test_historic_unknown_and_weaker_subdomain_policies() -> None:
    f = await run_check(check_dmarc, zone("v=DMARC1; p=reject; sp=none; np=quarantine; pct=50; foo=bar"), D)
    assert {"mail.dmarc.historic_tag", "mail.dmarc.unknown_tag", "mail.dmarc.subdomain_policy_weaker",
            "mail.dmarc.np_policy_weaker", "mail.dmarc.no_rua"} <= keys(f)


async def test_policy_inherited_from_parent_uses_sp() -> None:
    z = {"sub.dm.test": [("A", "127.0.0.1")], "_dmarc.dm.test": [("TXT", "v=DMARC1; p=reject; sp=none")]}
    f = await run_check(check_dmarc, z, "sub.dm.test")
    assert by_key(f, "mail.dmarc.inherited").evidence["found_at"] == "dm.test"
    assert "mail.dmarc.policy_none" in keys(f)


async def test_psd_policy_only() -> None:
    z = {D: [("A", "127.0.0.1")], "_dmarc.test": [("TXT", "v=DMARC1; p=reject; psd=y")]}
    assert keys(await run_check(check_dmarc, z, D)) == {"mail.dmarc.psd_only"}


async def test_external_report_destination_authorisation() -> None:
    rec = "v=DMARC1; p=reject; rua=mailto:a@reports.test,mailto:b@other.test"
    z = zone(rec, **{"dm.test._report._dmarc.reports.test": [("TXT", "v=DMARC1")]})
    f = await run_check(check_dmarc, z, D)
    bad = [x for x in f if x.key == "mail.dmarc.external_unauthorised"]
    assert [x.subject for x in bad] == ["other.test"]


async def test_null_mx_expects_reject() -> None:
    z = {D: [("MX", "0 .")], f"_dmarc.{D}": [("TXT", "v=DMARC1; p=quarantine; rua=mailto:d@dm.test")]}
    assert "mail.dmarc.null_mx_not_reject" in keys(await run_check(check_dmarc, z, D))


def test_tree_walk_targets_are_bounded() -> None:
    assert walk_targets("a.b.example.test") == ["b.example.test", "example.test", "test"]
    long = ".".join(f"l{i}" for i in range(12))
    assert len(walk_targets(long)) == 7 and walk_targets(long)[0] == ".".join(f"l{i}" for i in range(5, 12))


def test_parse_policy_defaults() -> None:
    rec = parse_dmarc("v=DMARC1; p=reject; sp=quarantine")
    assert (rec.policy_for("p"), rec.policy_for("sp"), rec.policy_for("np")) == ("reject", "quarantine", "quarantine")
    assert parse_dmarc("p=reject; v=DMARC1").errors
