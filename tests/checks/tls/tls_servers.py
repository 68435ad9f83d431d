"""Local TLS servers and a test CA for the TLS check tests. Loopback only.

The CA carries keyUsage keyCertSign+cRLSign and leaves carry SAN, EKU serverAuth and keyUsage, because
cryptography's verifier (used by the checks) follows the CA/Browser Forum profile and rejects less.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_NOW = dt.datetime.now(dt.UTC)
# RSA key generation dominates test time; share keys by size.
_KEYS: dict[tuple[str, int], object] = {}


def _key(kind: str = "ec", size: int = 256) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    k = _KEYS.get((kind, size))
    if k is None:
        if kind == "rsa":
            k = rsa.generate_private_key(public_exponent=65537, key_size=size)
        else:
            curve = {256: ec.SECP256R1(), 384: ec.SECP384R1(), 224: ec.SECP224R1()}[size]
            k = ec.generate_private_key(curve)
        _KEYS[(kind, size)] = k
    return k  # type: ignore[return-value]


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class LocalCA:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    pem_path: Path

    def issue(
        self, names: list[str], *, key_kind: str = "ec", key_size: int = 256, days_valid: int = 90,
        expired: bool = False, self_signed: bool = False, sig_hash: hashes.HashAlgorithm | None = None,
    ) -> tuple[bytes, bytes]:
        """A leaf certificate and key, both PEM; the CA certificate is not included."""
        key = _key(key_kind, key_size)
        if expired:
            not_before, not_after = _NOW - dt.timedelta(days=100), _NOW - dt.timedelta(days=10)
        else:
            not_before, not_after = _NOW - dt.timedelta(days=1), _NOW + dt.timedelta(days=days_valid)
        issuer_name, signer = (_name(names[0]), key) if self_signed else (self.cert.subject, self.key)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, key_encipherment=key_kind == "rsa", content_commitment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                    encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
        )
        if not self_signed:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
        cert = builder.sign(signer, sig_hash or hashes.SHA256())  # type: ignore[arg-type]
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return cert.public_bytes(serialization.Encoding.PEM), key_pem


def make_ca(directory: Path, name: str = "smecyber test CA") -> LocalCA:
    key = _key("ec", 384) if name == "smecyber test CA" else ec.generate_private_key(ec.SECP384R1())
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOW - dt.timedelta(days=400))  # older than the expired leaves, as in real life
        .not_valid_after(_NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, key_encipherment=False, content_commitment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA384())
    )
    path = directory / "test-ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return LocalCA(key, cert, path)


@dataclass
class ServerSpec:
    cert_pem: bytes
    key_pem: bytes
    min_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2
    max_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_3
    ciphers: str | None = None  # TLS <= 1.2 cipher string; '@SECLEVEL=0' is added
    starttls: bool = False  # speak SMTP and upgrade on STARTTLS
    behaviour: str = "normal"  # normal | reset | slow
    dh_params: Path | None = None


@dataclass
class TlsServer:
    """A threaded TLS (or SMTP+STARTTLS) server on one loopback address and a free port."""

    spec: ServerSpec
    host: str = "127.0.0.1"
    port: int = 0
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as d:
            cp, kp = Path(d) / "c.pem", Path(d) / "k.pem"
            cp.write_bytes(self.spec.cert_pem)
            kp.write_bytes(self.spec.key_pem)
            ctx.set_ciphers((self.spec.ciphers or "DEFAULT") + ":@SECLEVEL=0")
            ctx.load_cert_chain(cp, kp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are the point of some servers
            ctx.minimum_version = self.spec.min_version
            ctx.maximum_version = self.spec.max_version
        if self.spec.dh_params:
            ctx.load_dh_params(str(self.spec.dh_params))
        return ctx

    def start(self) -> TlsServer:
        self._ctx = self._context()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, self.port))
        s.listen(64)
        s.settimeout(0.2)
        self.port = s.getsockname()[1]
        self._sock = s
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._sock:
            self._sock.close()

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self.spec.behaviour == "reset":
                conn.recv(5)  # start of the ClientHello, then an abortive close (RST)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                conn.close()
                return
            if self.spec.behaviour == "slow":
                conn.recv(1024)
                for b in b"\x16\x03\x03\x00\x40" + b"\x02" * 60:  # a ServerHello record, one byte a second
                    if self._stop.is_set():
                        break
                    conn.sendall(bytes([b]))
                    time.sleep(1)
                conn.close()
                return
            if self.spec.starttls:
                f = conn.makefile("rwb")
                f.write(b"220 mail.test ESMTP\r\n")
                f.flush()
                while True:
                    line = f.readline(1000)
                    if not line:
                        return
                    cmd = line.strip().upper()
                    if cmd.startswith((b"EHLO", b"HELO")):
                        f.write(b"250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                    elif cmd == b"STARTTLS":
                        f.write(b"220 2.0.0 Ready to start TLS\r\n")
                        f.flush()
                        break
                    elif cmd == b"QUIT":
                        f.write(b"221 bye\r\n")
                        f.flush()
                        return
                    else:
                        f.write(b"250 ok\r\n")
                    f.flush()
            tls = self._ctx.wrap_socket(conn, server_side=True)
            with contextlib.suppress(OSError):
                tls.recv(1024)
            with contextlib.suppress(OSError):
                tls.close()
        except (OSError, ssl.SSLError):
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()


@contextlib.contextmanager
def running(spec: ServerSpec, host: str = "127.0.0.1") -> Iterator[TlsServer]:
    server = TlsServer(spec, host=host).start()
    try:
        yield server
    finally:
        server.stop()
