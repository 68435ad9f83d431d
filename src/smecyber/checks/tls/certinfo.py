"""Certificate facts, hostname matching and chain trust, computed from the DER chain the server presented.

Both depths use this module on the same handshake data, so certificate verdicts cannot differ between them.
Trust is judged apart from the hostname and the validity dates (those have their own verdicts): the chain
is verified for one of the leaf's own names at a moment inside the leaf's validity period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import ssl
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


@dataclass(slots=True)
class CertFacts:
    subject: str
    issuer: str
    sans: list[str]
    not_before: str  # ISO 8601, UTC
    not_after: str
    days_left: int  # negative when expired
    key_type: str  # rsa | dsa | ec | ed25519 | ed448 | other
    key_bits: int
    key_curve: str | None
    signature_algorithm: str  # e.g. sha256WithRSAEncryption
    signature_hash: str | None  # sha256, sha1, ... or ed25519
    sha256: str  # fingerprint of the DER, hex
    self_signed: bool
    expired: bool
    not_yet_valid: bool
    extra: dict[str, Any] = field(default_factory=dict)

    def evidence(self) -> dict[str, Any]:
        return {
            "subject": self.subject, "issuer": self.issuer, "sans": self.sans, "not_before": self.not_before,
            "not_after": self.not_after, "days_left": self.days_left,
            "key": f"{self.key_type.upper()} {self.key_curve or self.key_bits}"
            if self.key_type == "ec" else f"{self.key_type.upper()} {self.key_bits}",
            "signature_algorithm": self.signature_algorithm, "sha256": self.sha256,
        }


def _key_facts(cert: x509.Certificate) -> tuple[str, int, str | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.key_size, key.curve.name
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size, None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "ed448", 456, None
    return "other", 0, None


def cert_facts(der: bytes, now: dt.datetime | None = None) -> CertFacts:
    now = now or dt.datetime.now(dt.UTC)
    cert = x509.load_der_x509_certificate(der)
    try:
        san_ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = [str(n) for n in san_ext.get_values_for_type(x509.DNSName)]
        sans += [str(ip) for ip in san_ext.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        sans = []
    key_type, bits, curve = _key_facts(cert)
    try:
        hash_alg = cert.signature_hash_algorithm
        sig_hash: str | None = hash_alg.name if hash_alg else None
    except Exception:  # an algorithm cryptography does not know (e.g. MD2): no verdict can pass it
        sig_hash = "unknown"
    oid_name = getattr(cert.signature_algorithm_oid, "_name", None) or cert.signature_algorithm_oid.dotted_string
    if sig_hash is None and key_type in ("ed25519", "ed448"):
        sig_hash = key_type
    before, after = cert.not_valid_before_utc, cert.not_valid_after_utc
    return CertFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        sans=sans,
        not_before=before.isoformat(),
        not_after=after.isoformat(),
        days_left=(after - now).days if after >= now else -((now - after).days + 1),
        key_type=key_type,
        key_bits=bits,
        key_curve=curve,
        signature_algorithm=oid_name,
        signature_hash=sig_hash,
        sha256=hashlib.sha256(der).hexdigest(),
        self_signed=cert.issuer == cert.subject,
        expired=now > after,
        not_yet_valid=now < before,
    )


def hostname_matches(host: str, sans: list[str]) -> bool:
    """RFC 6125 matching on DNS SANs: a wildcard stands for exactly one whole left-most label."""
    host = host.lower().rstrip(".")
    for name in sans:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "*" not in name[2:]:
            first, _, rest = host.partition(".")
            if first and rest == name[2:] and rest.count(".") >= 1:
                return True
    return False


@cache
def _store(path: str) -> Store:
    """Trust anchors from a PEM bundle; blocks cryptography cannot parse are skipped, not fatal."""
    certs: list[x509.Certificate] = []
    for block in _PEM_BLOCK.findall(Path(path).read_bytes()):
        try:
            certs.append(x509.load_pem_x509_certificate(block))
        except ValueError:
            continue
    return Store(certs)


def system_bundle() -> str | None:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile, "/etc/ssl/certs/ca-certificates.crt"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def verify_chain(chain_der: list[bytes], ca_file: str | None) -> tuple[bool | None, str | None]:
    """Whether the presented chain leads to a trusted root (the scan's CA file, else the system store)."""
    if not chain_der:
        return False, "no certificate presented"
    bundle = ca_file or system_bundle()
    if bundle is None:
        return False, "no trust store available"
    leaf = x509.load_der_x509_certificate(chain_der[0])
    intermediates = []
    for der in chain_der[1:]:
        try:
            intermediates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns_names = names.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        dns_names = []
    if not dns_names:
        return False, "the certificate has no DNS name (subjectAltName), so no client can match it"
    subject = x509.DNSName(dns_names[0].replace("*", "w", 1))
    store = _store(bundle)
    now = dt.datetime.now(dt.UTC)
    before, after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    error = _verify(store, subject, now, leaf, intermediates)
    if error and (now > after or now < before) and "not valid at validation time" in error:
        # Expiry has its own verdict: ask whether the chain was trusted at the edge of the leaf's validity.
        edge = after - dt.timedelta(seconds=1) if now > after else before + dt.timedelta(seconds=1)
        error = _verify(store, subject, edge, leaf, intermediates)
        if error and "not valid at validation time" in error:
            return None, "trust cannot be judged apart from the validity dates: " + error
    return (error is None), error


def _verify(store: Store, subject: x509.DNSName, when: dt.datetime, leaf: x509.Certificate,
            intermediates: list[x509.Certificate]) -> str | None:
    try:
        PolicyBuilder().store(store).time(when).build_server_verifier(subject).verify(leaf, intermediates)
    except VerificationError as exc:
        return str(exc).split(" (encountered processing")[0][:300]
    except ValueError as exc:
        return f"certificate could not be checked: {exc}"[:300]
    return None
