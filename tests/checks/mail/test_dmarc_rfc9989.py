"""RFC 9989 conformance of the DMARC record parser and policy discovery (one test per audited rule)."""

from __future__ import annotations

from smecyber.checks.mail.dmarc import check_dmarc
from smecyber.checks.mail.dmarc_record import is_dmarc_record, parse_dmarc
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "dm.test"
BASE = {D: [("MX", "10 mail.dm.test.")], "mail.dm.test": [("A", "127.0.0.1")]}
RUA = "rua=mailto:d@dm.test"


def zone(*records: str, **extra: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    return {**BASE, f"_dmarc.{D}": [("TXT", r) for r in records], **extra}


def syntax_tags(findings: list) -> set[str]:
    return {f.evidence["tag"] for f in findings if f.key == "mail.dmarc.syntax_error"}


# s4.10.1: an invalid p/sp/np makes the record "p=none" when rua has a valid URI, else it is not applied.
async def test_invalid_p_with_valid_rua_is_treated_as_p_none() -> None:
    f = await run_check(check_dmarc, zone(f"v=DMARC1; p=rejectt; {RUA}"), D)
    assert by_key(f, "mail.dmarc.policy_none").evidence["invalid_policy"].startswith("treated as p=none")
    assert by_key(f, "mail.dmarc.syntax_error").status is Status.FAIL


async def test_invalid_sp_voids_a_valid_p() -> None:
    rec = parse_dmarc(f"v=DMARC1; p=reject; sp=bogus; {RUA}")
    assert (rec.policy_for("p"), rec.policy_for("sp"), rec.policy_for("np")) == ("none", "none", "none")
    f = await run_check(check_dmarc, zone(f"v=DMARC1; p=reject; sp=bogus; {RUA}"), D)
    assert "mail.dmarc.policy_none" in keys(f) and "mail.dmarc.ok" not in keys(f)


async def test_invalid_policy_without_valid_rua_applies_no_dmarc() -> None:
    rec = parse_dmarc("v=DMARC1; p=reject; np=sometimes")
    assert rec.policy_for("p") is None and not rec.applies
    f = await run_check(check_dmarc, zone("v=DMARC1; p=reject; np=sometimes"), D)
    assert not {"mail.dmarc.policy_reject", "mail.dmarc.ok"} & keys(f)
    assert by_key(f, "mail.dmarc.syntax_error").status is Status.FAIL


# s4.7: p is RECOMMENDED, not required; a record without it is treated as p=none.
async def test_missing_p_is_p_none_not_a_syntax_error() -> None:
    assert parse_dmarc("v=DMARC1").policy_for("p") == "none"
    f = await run_check(check_dmarc, zone(f"v=DMARC1; {RUA}"), D)
    assert "mail.dmarc.policy_none" in keys(f) and "mail.dmarc.syntax_error" not in keys(f)


# s4.8: ABNF string literals are case-insensitive (RFC 5234 s2.3); only DMARC1 is %s (case-sensitive).
async def test_policy_values_are_case_insensitive() -> None:
    f = await run_check(check_dmarc, zone(f"v=DMARC1; p=REJECT; ADKIM=s; {RUA}"), D)
    assert "mail.dmarc.policy_reject" in keys(f)
    assert parse_dmarc("v=DMARC1; p=Quarantine; t=Y; psd=N").policy_for("p") == "quarantine"
    assert parse_dmarc("v=DMARC1; p=Quarantine; t=Y; psd=N").psd == "n"


# s4.7 follows the DKIM tag-value syntax, whose tag names are case-sensitive (RFC 6376 s3.2).
async def test_tag_names_are_case_sensitive() -> None:
    rec = parse_dmarc("v=DMARC1; P=reject")
    assert rec.unknown == ["P"] and rec.policy_for("p") == "none"
    f = await run_check(check_dmarc, zone("v=DMARC1; P=reject"), D)
    assert {"mail.dmarc.policy_none", "mail.dmarc.unknown_tag"} <= keys(f)
    assert by_key(f, "mail.dmarc.syntax_error").status is Status.WARN


# s4.8: equals = *WSP "=" *WSP and dmarc-sep = *WSP ";" *WSP, with an optional trailing separator.
async def test_whitespace_around_equals_and_separators() -> None:
    rec = "v = DMARC1 ; p = reject ;\trua = mailto:d@dm.test ;"
    assert is_dmarc_record(rec)
    assert keys(await run_check(check_dmarc, zone(rec), D)) == {"mail.dmarc.ok", "mail.dmarc.policy_reject"}


# s4.7 "v": the value is case sensitive and must be exactly DMARC1; other TXT records at _dmarc are ignored.
async def test_version_is_exact_and_other_txt_records_are_ignored() -> None:
    assert not is_dmarc_record("v=dmarc1; p=reject") and not is_dmarc_record("v=DMARC10; p=reject")
    assert not is_dmarc_record("p=reject; v=DMARC1")
    assert keys(await run_check(check_dmarc, zone("v=dmarc1; p=reject"), D)) == {"mail.dmarc.missing"}
    f = await run_check(check_dmarc, zone("site-verification=abc", f"v=DMARC1; p=reject; {RUA}"), D)
    assert "mail.dmarc.ok" in keys(f)


# s4.10 steps 2/6: several records at one name are all discarded and the tree walk continues.
async def test_multiple_records_are_discarded_and_the_walk_continues() -> None:
    z = {**BASE, "sub.dm.test": [("A", "127.0.0.1")],
         "_dmarc.sub.dm.test": [("TXT", "v=DMARC1; p=reject"), ("TXT", "v=DMARC1; p=none")],
         "_dmarc.dm.test": [("TXT", "v=DMARC1; p=reject; sp=quarantine")]}
    f = await run_check(check_dmarc, z, "sub.dm.test")
    assert by_key(f, "mail.dmarc.multiple_records").subject == "sub.dm.test"
    assert by_key(f, "mail.dmarc.inherited").evidence["found_at"] == "dm.test"
    assert "mail.dmarc.policy_quarantine" in keys(f)


# s4.10.1 + s4.10.2: the record applied is that of the Organizational Domain (the shortest name with a
# record, unless psd=n / psd=y decides), not simply the first record met on the way up.
async def test_inherited_record_is_the_organizational_domains() -> None:
    z = {**BASE, "a.b.dm.test": [("A", "127.0.0.1")],
         "_dmarc.b.dm.test": [("TXT", "v=DMARC1; p=none")],
         "_dmarc.dm.test": [("TXT", "v=DMARC1; p=reject")]}
    f = await run_check(check_dmarc, z, "a.b.dm.test")
    assert by_key(f, "mail.dmarc.inherited").evidence["found_at"] == "dm.test"
    assert "mail.dmarc.policy_reject" in keys(f)
    z["_dmarc.b.dm.test"] = [("TXT", "v=DMARC1; p=none; psd=n")]  # b.dm.test declares itself an org domain
    f = await run_check(check_dmarc, z, "a.b.dm.test")
    assert by_key(f, "mail.dmarc.inherited").evidence["found_at"] == "b.dm.test"
    assert "mail.dmarc.policy_none" in keys(f)


async def test_psd_record_points_to_the_organizational_domain_below_it() -> None:
    z = {**BASE, "x.dm.test": [("A", "127.0.0.1")],
         "_dmarc.dm.test": [("TXT", "v=DMARC1; p=quarantine")],
         "_dmarc.test": [("TXT", "v=DMARC1; p=reject; psd=y")]}
    f = await run_check(check_dmarc, z, "x.dm.test")
    assert by_key(f, "mail.dmarc.inherited").evidence["found_at"] == "dm.test"
    assert "mail.dmarc.policy_quarantine" in keys(f)


# s4.10.1: a parent's record gives np (not sp) when the domain does not exist (NXDOMAIN).
async def test_np_applies_to_a_non_existent_subdomain() -> None:
    z = {**BASE, "www.dm.test": [("A", "127.0.0.1")],
         "_dmarc.dm.test": [("TXT", "v=DMARC1; p=reject; sp=reject; np=none")]}
    f = await run_check(check_dmarc, z, "ghost.dm.test")
    assert by_key(f, "mail.dmarc.policy_none").evidence["policy_tag"] == "np"
    f = await run_check(check_dmarc, z, "www.dm.test")
    assert by_key(f, "mail.dmarc.policy_reject").evidence["policy_tag"] == "sp"


# s4.7 "t": y asks for the policy one level below, and has no effect on a "none" policy.
async def test_testing_mode() -> None:
    f = await run_check(check_dmarc, zone(f"v=DMARC1; p=reject; t=y; {RUA}"), D)
    assert by_key(f, "mail.dmarc.testing").evidence["effective_policy"] == "quarantine"
    assert "mail.dmarc.ok" not in keys(f)
    f = await run_check(check_dmarc, zone(f"v=DMARC1; p=none; t=y; {RUA}"), D)
    assert "mail.dmarc.testing" not in keys(f)


# s4.8 dmarc-fo: "0" and "1" are mutually exclusive, "d" and "s" appear at most once.
def test_fo_grammar() -> None:
    for good in ("0", "1", "d", "s", "1:d:s", "d:0", "s:d:1", "D"):
        assert "fo" not in parse_dmarc(f"v=DMARC1; p=none; fo={good}").invalid, good
    for bad in ("0:1", "d:d", "2", "1:", "1 : d"):
        assert "fo" in parse_dmarc(f"v=DMARC1; p=none; fo={bad}").invalid, bad


# s4.8 dmarc-urilist: any URI is valid; "!size" is obsolete syntax to ignore, but must be well formed.
def test_report_uri_syntax() -> None:
    rec = parse_dmarc("v=DMARC1; p=none; rua=mailto:a@dm.test!10m , mailto:b@dm.test!5")
    assert rec.report_uris["rua"] == ["a@dm.test", "b@dm.test"] and not rec.errors
    assert parse_dmarc("v=DMARC1; p=none; rua=mailto:a@dm.test!big").uris["rua"] == []
    rec = parse_dmarc("v=DMARC1; p=bogus; rua=https://reports.test/dmarc")
    assert rec.uris["rua"] == ["https://reports.test/dmarc"] and rec.policy_for("p") == "none"


# RFC 9990 external destinations: external means another Organizational Domain (tree walk), not another name.
async def test_external_destination_is_decided_by_organizational_domain() -> None:
    z = {**BASE, "shop.dm.test": [("A", "127.0.0.1")],
         "_dmarc.shop.dm.test": [("TXT", "v=DMARC1; p=reject; rua=mailto:r@mail.dm.test,mailto:r@dept.dm.test")],
         "_dmarc.dm.test": [("TXT", "v=DMARC1; p=reject")],
         "_dmarc.dept.dm.test": [("TXT", "v=DMARC1; p=reject; psd=n")]}
    f = await run_check(check_dmarc, z, "shop.dm.test")
    assert [x.subject for x in f if x.key == "mail.dmarc.external_unauthorised"] == ["dept.dm.test"]


# s4.5: the character-strings of one TXT record are concatenated before parsing.
async def test_split_txt_strings_are_joined() -> None:
    z = {**BASE, f"_dmarc.{D}": [("TXT", ["v=DMARC1; p=rej", "ect; rua=mailto:d@dm.test"])]}
    assert "mail.dmarc.policy_reject" in keys(await run_check(check_dmarc, z, D))
