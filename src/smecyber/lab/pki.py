"""The lab's certificates and keys: a lab CA, leaf certificates in known-bad variants, DKIM and TLSA data.

RSA-2048 key generation costs ~0.1 s each, too slow for one key per host at every start, so leaf and
DKIM keys come from a small pool generated in parallel; sharing a key between lab hosts changes no verdict.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
WRONG_NAME = "unrelated.invalid"  # .invalid never resolves (RFC 6761)


class KeyPool:
    """Hands out keys round-robin from a pool per kind ("rsa2048", "rsa1024", "ecdsa", ...)."""

    SIZES: ClassVar[dict[str, int]] = {"ca": 1, "rsa2048": 4, "rsa1024": 2}

    def __init__(self) -> None:
        with ThreadPoolExecutor(max_workers=4) as pool:  # RSA generation releases the GIL
            futures = {k: [pool.submit(_generate, k) for _ in range(n)] for k, n in self.SIZES.items()}
            self._pools = {k: [f.result() for f in fs] for k, fs in futures.items()}
        self._cycles = {k: itertools.cycle(v) for k, v in self._pools.items()}

    def get(self, kind: str) -> PrivateKey:
        if kind in self._cycles:
            return next(self._cycles[kind])
        return _generate(kind)


def _generate(kind: str) -> PrivateKey:
    if kind == "ca":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind.startswith("rsa"):
        bits = int(kind[3:])
        if bits < 1024:
            return _small_rsa(bits)
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if kind == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f"unknown key kind {kind!r}")


def _small_rsa(bits: int) -> rsa.RSAPrivateKey:
    """cryptography refuses to generate RSA keys under 1024 bits; the lab needs them (weak DKIM keys)."""
    pem = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}"],
                         capture_output=True, check=True, timeout=30).stdout
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def key_kind(key_type: str, cert_variant: str) -> str:
    if cert_variant == "rsa1024":
        return "rsa1024"
    return "ecdsa" if key_type == "ecdsa" else "rsa2048"


@dataclass(slots=True)
class LabCA:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @classmethod
    def create(cls, key: rsa.RSAPrivateKey) -> LabCA:
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "smecyber lab"),
            x509.NameAttribute(NameOID.COMMON_NAME, "smecyber lab CA"),
        ])
        now = dt.datetime.now(dt.UTC)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    @classmethod
    def load(cls, cert_file: Path, key_file: Path) -> LabCA:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return cls(key, x509.load_pem_x509_certificate(cert_file.read_bytes()))

    def write(self, cert_file: Path, key_file: Path) -> None:
        cert_file.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        write_key(self.key, key_file)

    def issue(self, names: list[str], key: PrivateKey, variant: str = "valid") -> x509.Certificate:
        """A server certificate for ``names`` (SAN) in one of the lab's variants (see spec.CERT_VARIANTS)."""
        now = dt.datetime.now(dt.UTC)
        not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=90)
        if variant == "expired":
            not_before, not_after = now - dt.timedelta(days=400), now - dt.timedelta(days=30)
        if variant == "wrong_name":
            names = [WRONG_NAME, f"*.{WRONG_NAME}"]
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        issuer, signer = self.cert.subject, self.key
        if variant == "self_signed":
            issuer, signer = subject, key
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False,
                key_encipherment=isinstance(key, rsa.RSAPrivateKey), data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False,
                decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )
        if variant != "self_signed":
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        if isinstance(signer, ed25519.Ed25519PrivateKey):
            return builder.sign(signer, None)
        cert = builder.sign(signer, hashes.SHA256())
        if variant == "sha1":
            assert isinstance(signer, rsa.RSAPrivateKey), "SHA-1 certificates are signed by the RSA lab CA"
            cert = resign_sha1(cert, signer)
        return cert


_SHA256_RSA = bytes.fromhex("06092a864886f70d01010b")  # OID 1.2.840.113549.1.1.11
_SHA1_RSA = bytes.fromhex("06092a864886f70d010105")  # OID 1.2.840.113549.1.1.5


def resign_sha1(cert: x509.Certificate, key: rsa.RSAPrivateKey) -> x509.Certificate:
    """The same certificate signed with sha1WithRSAEncryption.

    cryptography refuses SHA-1 when building certificates, but the lab needs one to test that the scanner
    flags it: swap the algorithm OID in the TBS (same length) and sign the TBS bytes ourselves.
    """
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(_SHA256_RSA) == 1
    tbs = tbs.replace(_SHA256_RSA, _SHA1_RSA)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    algorithm = _der(0x30, _SHA1_RSA + b"\x05\x00")
    der = _der(0x30, tbs + algorithm + _der(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


def _der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    length = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def write_key(key: PrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)


def load_key(path: Path) -> PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey)
    return key


def write_cert_chain(cert: x509.Certificate, ca: LabCA, path: Path, *, include_ca: bool = False) -> None:
    pem = cert.public_bytes(serialization.Encoding.PEM)
    if include_ca:
        pem += ca.cert.public_bytes(serialization.Encoding.PEM)
    path.write_bytes(pem)


def tlsa_311(cert: x509.Certificate) -> str:
    """RDATA of a ``TLSA 3 1 1`` record (DANE-EE, SPKI, SHA-256) matching ``cert``."""
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"3 1 1 {hashlib.sha256(spki).hexdigest()}"


def dkim_txt(key: PrivateKey | None) -> str:
    """The DKIM key record text (RFC 6376 s3.6.1); ``None`` gives the revoked form ``p=``."""
    if key is None:
        return "v=DKIM1; k=rsa; p="
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return f"v=DKIM1; k=ed25519; p={base64.b64encode(raw).decode()}"
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


def txt_rdata(text: str) -> str:
    """Zone-file TXT RDATA: split into quoted character-strings of at most 255 bytes."""
    chunks = [text[i : i + 255] for i in range(0, len(text), 255)] or [""]
    return " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)
