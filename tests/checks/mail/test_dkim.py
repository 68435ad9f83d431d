from __future__ import annotations

import base64

from smecyber.checks.mail.dkim import check_dkim, common_selectors, parse_key_record
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check
from tests.checks.mail.keys import dkim_ed25519_record, dkim_rsa_record, rsa_key

D = "dk.test"


def key(selector: str, record: str) -> dict[str, list[tuple[str, str]]]:
    return {f"{selector}._domainkey.{D}": [("TXT", record)]}


async def test_rsa_2048_passes_and_1024_warns() -> None:
    z = {D: [("A", "127.0.0.1")], **key("selector1", dkim_rsa_record(2048)), **key("google", dkim_rsa_record(1024))}
    f = await run_check(check_dkim, z, D)
    assert by_key(f, "mail.dkim.ok").subject == "selector1"
    weak = by_key(f, "mail.dkim.key_weak")
    assert weak.subject == "google" and weak.evidence["bits"] == 1024 and weak.status is Status.WARN


async def test_short_key_fails_revoked_is_info_ed25519_passes() -> None:
    z = {**key("s1", dkim_rsa_record(512)), **key("s2", "v=DKIM1; p="), **key("k1", dkim_ed25519_record())}
    f = await run_check(check_dkim, z, D)
    assert by_key(f, "mail.dkim.key_too_short").status is Status.FAIL
    assert by_key(f, "mail.dkim.revoked").subject == "s2"
    assert by_key(f, "mail.dkim.ok").evidence["type"] == "ed25519"


async def test_bare_pkcs1_rsa_key_is_accepted() -> None:
    from cryptography.hazmat.primitives import serialization

    pkcs1 = rsa_key(2048).public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    f = await run_check(check_dkim, key("default", f"k=rsa; p={base64.b64encode(pkcs1).decode()}"), D)
    assert by_key(f, "mail.dkim.ok").evidence["bits"] == 2048


async def test_invalid_record() -> None:
    f = await run_check(check_dkim, key("default", "v=DKIM1; k=rsa; p=bm90IGEga2V5"), D)
    assert by_key(f, "mail.dkim.invalid_record").status is Status.FAIL


async def test_user_selector_is_probed_and_none_found_is_info() -> None:
    z = key("custom2024", dkim_rsa_record(2048))
    f = await run_check(check_dkim, z, D, dkim_selectors=("custom2024",))
    assert by_key(f, "mail.dkim.ok").subject == "custom2024"
    f = await run_check(check_dkim, {D: [("A", "127.0.0.1")]}, D)
    assert keys(f) == {"mail.dkim.none_found"}
    assert by_key(f, "mail.dkim.none_found").status is Status.INFO


def test_selectors_are_data_and_records_parse() -> None:
    assert {"selector1", "selector2", "google", "k1", "default"} <= set(common_selectors())
    assert parse_key_record("k=rsa; v=DKIM1; p=abc")[1] is not None
    assert parse_key_record("v=DKIM1; k=rsa")[1] == "the p= tag is missing"


def test_hash_and_service_restrictions_rfc6376_s3_6_1_rfc8301_s3_1() -> None:
    rec = dkim_rsa_record(2048)
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; h=sha256;"))[1] is None
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; h=sha1:sha256;"))[1] is None
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; h=sha1;"))[1] is not None  # sha1 only: unusable
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; h=md5;"))[1] is not None  # unknown ones ignored
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; s=email;"))[1] is None
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; s=*;"))[1] is None
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; s=other:email;"))[1] is None
    assert parse_key_record(rec.replace("k=rsa;", "k=rsa; s=other;"))[1] is not None  # not for email


async def test_sha1_only_key_is_invalid() -> None:
    f = await run_check(check_dkim, key("default", dkim_rsa_record(2048).replace("k=rsa;", "k=rsa; h=sha1;")), D)
    assert by_key(f, "mail.dkim.invalid_record").status is Status.FAIL


async def test_v_tag_optional_and_testing_flag() -> None:
    bare = dkim_rsa_record(2048).replace("v=DKIM1; ", "")  # RFC 6376 s3.6.1: v= is only RECOMMENDED
    f = await run_check(check_dkim, key("default", bare.replace("k=rsa;", "k=rsa; t=y:s;")), D)
    assert keys(f) == {"mail.dkim.ok", "mail.dkim.testing"}
    assert parse_key_record("v=DKIM2; p=abc")[1] is not None


async def test_wrong_size_ed25519_key_is_invalid_rfc8463() -> None:
    import base64 as b64

    f = await run_check(check_dkim, key("k1", f"v=DKIM1; k=ed25519; p={b64.b64encode(b'x' * 31).decode()}"), D)
    assert by_key(f, "mail.dkim.invalid_record").status is Status.FAIL
