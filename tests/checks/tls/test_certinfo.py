"""Hostname matching (RFC 6125) and certificate facts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509

from smecyber.checks.tls.certinfo import cert_facts, hostname_matches, verify_chain

from .tls_servers import LocalCA


@pytest.mark.parametrize(("host", "sans", "ok"), [
    ("good.test", ["good.test"], True),
    ("GOOD.test.", ["good.test"], True),
    ("www.good.test", ["*.good.test"], True),
    ("good.test", ["*.good.test"], False),  # a wildcard needs a label
    ("a.b.good.test", ["*.good.test"], False),  # and stands for exactly one
    ("x.test", ["*.test"], False),  # no wildcard directly under a TLD
    ("wwwgood.test", ["w*.good.test"], False),  # partial wildcards are not honoured
    ("good.test", ["other.test", "good.test"], True),
    ("good.test", [], False),
])
def test_hostname_matching(host: str, sans: list[str], ok: bool) -> None:
    assert hostname_matches(host, sans) is ok


def _der(pem: bytes) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def test_facts_and_trust(ca: LocalCA) -> None:
    cert_pem, _ = ca.issue(["facts.test", "*.facts.test"])
    facts = cert_facts(_der(cert_pem))
    assert facts.sans == ["facts.test", "*.facts.test"]
    assert (facts.key_type, facts.key_curve, facts.signature_hash) == ("ec", "secp256r1", "sha256")
    assert 88 <= facts.days_left <= 90 and not facts.expired and not facts.self_signed
    assert len(facts.sha256) == 64
    assert verify_chain([_der(cert_pem)], str(ca.pem_path)) == (True, None)
    # trust is judged apart from the dates: an expired certificate of a trusted CA is still "trusted"
    expired_pem, _ = ca.issue(["old.test"], expired=True)
    assert cert_facts(_der(expired_pem)).expired
    assert verify_chain([_der(expired_pem)], str(ca.pem_path))[0] is True
    self_pem, _ = ca.issue(["self.test"], self_signed=True)
    trusted, error = verify_chain([_der(self_pem)], str(ca.pem_path))
    assert not trusted and error


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_sha1_signature_fact(tmp_path: Path) -> None:
    # cryptography refuses to sign with SHA-1, the openssl command still can
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp_path / "k.pem"),
         "-out", str(tmp_path / "c.pem"), "-sha1", "-days", "30", "-subj", "/CN=sha1.test",
         "-addext", "subjectAltName=DNS:sha1.test"],
        check=True, capture_output=True,
    )
    facts = cert_facts(_der((tmp_path / "c.pem").read_bytes()))
    assert facts.signature_hash == "sha1" and facts.self_signed
    assert facts.signature_algorithm == "sha1WithRSAEncryption"
