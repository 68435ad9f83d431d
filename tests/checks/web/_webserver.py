"""A small loopback web server for the web check tests and tools/observatory_compare.py.

Each case is a host name; the server answers on one loopback address, ports 80 and 443, and picks the case
by the Host header. ``paths`` serve extra files; ``behaviour`` makes the server hostile.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import ssl
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Case:
    name: str
    headers: dict[str, str | list[str]] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    body: str = "<!doctype html><html><head><title>t</title></head><body>hi</body></html>"
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    http: str = "redirect"  # redirect | serve | redirect_other | redirect_http_first | close
    https: bool = True
    cors: dict[str, str] = field(default_factory=dict)  # headers on OPTIONS responses
    redirect_cookies: list[str] = field(default_factory=list)  # Set-Cookie on the http->https redirect
    zone: str = "obs.test"  # a zone the certificate does not cover gives an untrusted certificate
    loop: bool = False  # https answers every request with a redirect to itself
    paths: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # path -> (status, type, body)
    behaviour: str = "normal"  # normal | slow_body | huge_header

    @property
    def host(self) -> str:
        return f"{self.name}.{self.zone}"


def make_pki(directory: Path) -> tuple[Path, Path, Path]:
    """A CA (with keyUsage, as Node and cryptography want) and a leaf for obs.test and *.obs.test."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "obs compare CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "obs.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("obs.test"), x509.DNSName("*.obs.test")]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = directory / "ca.pem", directory / "leaf.pem", directory / "leaf.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_file, cert_file, key_file


async def _reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the start of the ClientHello, then abort with a TCP RST."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(reader.read(5), 5)
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _response(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}.get(status, "Status")
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _page(case: Case) -> bytes:
    headers: list[tuple[str, str]] = [("Content-Type", case.content_type)]
    for k, v in case.headers.items():
        for one in (v if isinstance(v, list) else [v]):
            headers.append((k, one))
    headers += [("Set-Cookie", c) for c in case.cookies]
    return _response(case.status, headers, case.body.encode())


class ObsServer:
    def __init__(self, address: str, cases: list[Case], pki: tuple[Path, Path, Path], reset_tls: bool = False) -> None:
        self.address = address
        self.reset_tls = reset_tls  # port 443 resets every connection during the TLS handshake
        self.cases = {c.host: c for c in cases} | {f"other-{c.host}": c for c in cases}
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(str(pki[1]), str(pki[2]))
        self.servers: list[Any] = []

    async def start(self) -> None:
        if self.reset_tls:  # port 80 stays closed
            self.servers.append(await asyncio.start_server(_reset, self.address, 443))
            return
        self.servers.append(await asyncio.start_server(lambda r, w: self._handle(r, w, False), self.address, 80))
        self.servers.append(await asyncio.start_server(lambda r, w: self._handle(r, w, True), self.address, 443,
                                                       ssl=self.ctx))

    def close_now(self) -> None:
        for s in self.servers:
            s.close()

    async def stop(self) -> None:
        for s in self.servers:
            s.close()
            await s.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls: bool) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            hdrs = {ln.split(":", 1)[0].strip().lower(): ln.split(":", 1)[1].strip() for ln in lines[1:] if ":" in ln}
            host = hdrs.get("host", "").split(":")[0].lower()
            case = self.cases.get(host)
            if case is not None and case.behaviour == "slow_body":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/html\r\n\r\n")
                for _ in range(100000):
                    writer.write(b"x")
                    await writer.drain()
                    await asyncio.sleep(1)
            elif case is not None and case.behaviour == "huge_header":
                writer.write(b"HTTP/1.1 200 OK\r\nX-Big: ")
                for _ in range(10 * 1024):
                    writer.write(b"a" * 1024)
                    await writer.drain()
                writer.write(b"\r\nContent-Length: 0\r\n\r\n")
            else:
                writer.write(self._answer(case, method, path, tls))
            await writer.drain()
        except Exception:
            pass
        finally:
            writer.close()

    def _answer(self, case: Case | None, method: str, path: str, tls: bool) -> bytes:
        if case is None:
            return _response(404, [], b"no such case")
        if not tls and case.http != "serve":
            if case.http == "close":
                return b""
            if case.http == "redirect_http_first" and path != "/":
                return _response(301, [("Location", f"https://{case.host}/")], b"")
            target = {"redirect": f"https://{case.host}{path}",
                      "redirect_other": f"https://other-{case.host}{path}",
                      "redirect_http_first": f"http://{case.host}/step"}[case.http]
            return _response(301, [("Location", target)] + [("Set-Cookie", c) for c in case.redirect_cookies], b"")
        if tls and not case.https:
            return b""
        if method == "OPTIONS":
            return _response(200, list(case.cors.items()), b"")
        if case.loop:
            return _response(302, [("Location", f"https://{case.host}/")], b"")
        if path in case.paths:
            status, ctype, body = case.paths[path]
            return _response(status, [("Content-Type", ctype)], body.encode())
        if path == "/robots.txt":
            return _response(404, [("Content-Type", "text/plain")], b"none")
        return _page(case)
