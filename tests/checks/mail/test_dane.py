from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from smecyber.checks.mail import dane as dane_mod
from smecyber.checks.mail.dane import check_dane, parse_tlsa, tlsa_matches
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check
from tests.checks.mail.keys import cert_chain

D = "dane.test"
MX = "mail.dane.test"
CHAIN = cert_chain(MX)


def spki_sha256(der: bytes) -> str:
    spki = x509.load_der_x509_certificate(der).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def zone(*tlsa: str) -> dict[str, list[tuple[str, str]]]:
    return {D: [("MX", f"10 {MX}.")], MX: [("A", "127.0.0.1")], f"_25._tcp.{MX}": [("TLSA", t) for t in tlsa]}


@pytest.fixture
def fake_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    class Report:
        error = None
        cert_chain_der = CHAIN
        hostname_matches = True

    async def report(ctx: object, host: str, port: int, *, starttls: str) -> Report:
        return Report()

    monkeypatch.setattr(dane_mod, "tls_endpoint_report", report)


def test_matching_rules() -> None:
    leaf, ca = CHAIN
    ee = parse_tlsa(f"3 1 1 {spki_sha256(leaf)}")
    ta = parse_tlsa(f"2 0 2 {hashlib.sha512(ca).hexdigest()}")
    assert ee and ta
    assert tlsa_matches(ee, CHAIN, None)
    assert tlsa_matches(ta, CHAIN, True) and not tlsa_matches(ta, CHAIN, False)
    assert not tlsa_matches((3, 0, 0, ca), CHAIN, True)  # DANE-EE only matches the leaf
    assert tlsa_matches((3, 0, 0, leaf), CHAIN, None)
    assert not tlsa_matches((1, 1, 1, bytes.fromhex(spki_sha256(leaf))), CHAIN, True)  # PKIX-EE unusable


async def test_secure_matching_tlsa_passes(fake_tls: None) -> None:
    f = await run_check(check_dane, zone(f"3 1 1 {spki_sha256(CHAIN[0])}"), D, server_options={"secure_all": True})
    assert by_key(f, "mail.dane.ok").subject == MX


async def test_mismatch_fails(fake_tls: None) -> None:
    f = await run_check(check_dane, zone("3 1 1 " + "00" * 32), D, server_options={"secure_all": True})
    assert by_key(f, "mail.dane.mismatch").status is Status.FAIL


async def test_unsigned_tlsa_is_not_trusted(fake_tls: None) -> None:
    f = await run_check(check_dane, zone(f"3 1 1 {spki_sha256(CHAIN[0])}"), D)
    assert by_key(f, "mail.dane.not_secure").evidence["dnssec"] is False


async def test_only_pkix_usages_are_unusable(fake_tls: None) -> None:
    f = await run_check(check_dane, zone(f"1 1 1 {spki_sha256(CHAIN[0])}"), D, server_options={"secure_all": True})
    assert by_key(f, "mail.dane.unusable_records").status is Status.FAIL


async def test_bogus_tlsa_fails_and_missing_is_info() -> None:
    z = zone(f"3 1 1 {spki_sha256(CHAIN[0])}")
    f = await run_check(check_dane, z, D, server_options={"servfail": [f"_25._tcp.{MX}"], "secure_all": True})
    assert by_key(f, "mail.dane.bogus").status is Status.FAIL
    f = await run_check(check_dane, {D: [("MX", f"10 {MX}.")], MX: [("A", "127.0.0.1")]}, D)
    assert keys(f) == {"mail.dane.missing"}
