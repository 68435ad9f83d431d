"""The verdict tables (classification.yaml) against NCSC-NL TLS guidelines v2.1 as internet.nl applied them."""

from __future__ import annotations

import pytest

from smecyber.checks.tls.classify import (
    Level,
    cert_key_level,
    cipher_level,
    curve_level,
    dh_level,
    protocol_level,
    signature_hash_level,
    table,
    worst,
)

G, S, P, X = Level.GOOD, Level.SUFFICIENT, Level.PHASE_OUT, Level.INSUFFICIENT


@pytest.mark.parametrize(("version", "level"), [
    ("TLSv1.3", G), ("TLSv1.2", S), ("TLSv1.1", P), ("TLSv1.0", P), ("SSLv3", X), ("SSLv2", X), ("TLSv9", X),
])
def test_protocols(version: str, level: Level) -> None:
    assert protocol_level(version) is level


@pytest.mark.parametrize(("suite", "level"), [
    ("TLS_AES_256_GCM_SHA384", G),
    ("TLS_CHACHA20_POLY1305_SHA256", G),
    ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", G),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", G),
    ("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", S),
    ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", S),
    ("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", S),
    ("TLS_DHE_RSA_WITH_AES_128_CBC_SHA", S),
    ("TLS_RSA_WITH_AES_128_GCM_SHA256", P),  # no forward secrecy
    ("TLS_RSA_WITH_AES_256_CBC_SHA", P),
    ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", P),
    ("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", P),
    ("TLS_RSA_WITH_RC4_128_SHA", X),
    ("TLS_ECDHE_RSA_WITH_RC4_128_SHA", X),
    ("TLS_RSA_WITH_NULL_SHA256", X),
    ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", X),
    ("TLS_DH_anon_WITH_AES_128_GCM_SHA256", X),
    ("TLS_ECDH_anon_WITH_AES_256_CBC_SHA", X),
    ("TLS_RSA_WITH_DES_CBC_SHA", X),
    ("TLS_AES_128_CCM_8_SHA256", X),
    ("TLS_PSK_WITH_AES_128_GCM_SHA256", X),
])
def test_cipher_suites(suite: str, level: Level) -> None:
    assert cipher_level(suite) is level


def test_every_listed_suite_is_an_iana_name() -> None:
    for level in ("good", "sufficient", "phase_out"):
        for name in table()["cipher_suites"][level]:
            assert name.startswith("TLS_") and name.upper() == name


@pytest.mark.parametrize(("curve", "level"), [
    ("X25519", G), ("secp256r1", G), ("secp384r1", G), ("X448", G), ("secp224r1", P), ("secp192r1", X),
    ("sect163k1", X),
])
def test_ecdhe_curves(curve: str, level: Level) -> None:
    assert curve_level(curve) is level


@pytest.mark.parametrize(("bits", "level"), [(4096, S), (3072, S), (2048, P), (1024, X), (512, X)])
def test_dhe_sizes(bits: int, level: Level) -> None:
    assert dh_level(bits) is level


@pytest.mark.parametrize(("kind", "bits", "curve", "level"), [
    ("rsa", 4096, None, G), ("rsa", 3072, None, G), ("rsa", 2048, None, S), ("rsa", 1024, None, X),
    ("ec", 256, "secp256r1", G), ("ec", 384, "secp384r1", G), ("ec", 224, "secp224r1", P),
    ("ec", 192, "secp192r1", X), ("ed25519", 256, None, G), ("dsa", 2048, None, P), ("dsa", 1024, None, X),
    ("other", 0, None, X),
])
def test_certificate_keys(kind: str, bits: int, curve: str | None, level: Level) -> None:
    assert cert_key_level(kind, bits, curve) is level


@pytest.mark.parametrize(("hash_name", "level"), [
    ("sha256", G), ("SHA384", G), ("sha512", G), ("ed25519", G), ("sha224", P), ("sha1", X), ("md5", X),
    (None, X), ("unknown", X),
])
def test_signature_hashes(hash_name: str | None, level: Level) -> None:
    assert signature_hash_level(hash_name) is level


def test_worst() -> None:
    assert worst([G, P, S]) is P
    assert worst([]) is None
