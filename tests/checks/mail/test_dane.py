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


def _chain(name: str, *, leaf_days: tuple[int, int] = (-1, 30)) -> tuple[list[bytes], bytes]:
    """[leaf, intermediate] under a root that is not presented; returns (chain, root DER)."""
    import datetime

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def make(subject: str, issuer: str, key: ec.EllipticCurvePrivateKey, signer: ec.EllipticCurvePrivateKey,
             ca: bool, days: tuple[int, int] = (-1, 30)) -> x509.Certificate:
        b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
             .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)])).public_key(key.public_key())
             .serial_number(x509.random_serial_number())
             .not_valid_before(now + datetime.timedelta(days=days[0]))
             .not_valid_after(now + datetime.timedelta(days=days[1]))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        return b.sign(signer, hashes.SHA256())

    rk, ik, lk = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = make("root", "root", rk, rk, True)
    inter = make("inter", "root", ik, rk, True)
    leaf = make(name, "inter", lk, ik, False, leaf_days)
    der = serialization.Encoding.DER
    return [leaf.public_bytes(der), inter.public_bytes(der)], root.public_bytes(der)


def test_dane_ta_needs_the_leaf_to_chain_to_the_anchor_rfc7672_s3_1_2() -> None:
    chain, _root = _chain(MX)
    inter = chain[1]
    assert tlsa_matches((2, 0, 1, hashlib.sha256(inter).digest()), chain, True)
    # an unrelated CA certificate sent along matches the record but did not sign the leaf
    _, other_ca = CHAIN
    forged = [chain[0], other_ca]
    assert not tlsa_matches((2, 0, 1, hashlib.sha256(other_ca).digest()), forged, True)
    # chain order does not matter, the signatures do
    assert tlsa_matches((2, 0, 1, hashlib.sha256(inter).digest()), [chain[0], other_ca, inter], True)


def test_dane_ta_full_spki_of_an_unsent_root_rfc7671_s5_2_2() -> None:
    chain, root = _chain(MX)
    spki = x509.load_der_x509_certificate(root).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert tlsa_matches((2, 1, 0, spki), chain, True)
    assert not tlsa_matches((2, 1, 1, hashlib.sha256(spki).digest()), chain, True)  # a digest cannot verify
    other = x509.load_der_x509_certificate(CHAIN[1]).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert not tlsa_matches((2, 1, 0, other), chain, True)


def test_expiry_counts_for_dane_ta_not_for_dane_ee_rfc7672_s3_1() -> None:
    chain, _ = _chain(MX, leaf_days=(-60, -1))
    inter, leaf = chain[1], chain[0]
    assert not tlsa_matches((2, 0, 1, hashlib.sha256(inter).digest()), chain, True)
    assert tlsa_matches((3, 1, 1, bytes.fromhex(spki_sha256(leaf))), chain, False)  # DANE-EE: no name, no dates


def test_usable_rules_rfc7672_s3_1() -> None:
    from smecyber.checks.mail.dane import usable

    assert usable((3, 1, 1, b"\0" * 32)) and usable((2, 0, 2, b"\0" * 64)) and usable((3, 0, 0, b"x"))
    assert not usable((3, 1, 1, b"\0" * 20))  # a SHA2-256 digest is 32 bytes (RFC 6698 s2.1.3)
    assert not usable((2, 1, 2, b"\0" * 32))
    assert not usable((0, 1, 1, b"\0" * 32)) and not usable((3, 2, 1, b"\0" * 32))
    assert not usable((3, 1, 3, b"\0" * 32))


async def test_usable_and_unusable_records_together(fake_tls: None) -> None:
    good = f"3 1 1 {spki_sha256(CHAIN[0])}"
    f = await run_check(check_dane, zone(f"1 1 1 {spki_sha256(CHAIN[0])}", good), D,
                        server_options={"secure_all": True})
    ok = by_key(f, "mail.dane.ok")
    assert [r.split()[0] for r in ok.evidence["matched"]] == ["3"]
    assert by_key(f, "mail.dane.unusable_records").status is Status.INFO
