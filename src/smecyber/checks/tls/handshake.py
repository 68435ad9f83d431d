"""Single TLS handshakes with Python's ssl module (and raw SSL 2/3 hellos), always to a checked address.

Used in both depths: the first handshake gives the negotiated version and suite and the certificate
chain as presented; the version probes tell which old protocol versions the server still accepts.
Every exchange runs under one ``asyncio.timeout`` so a server that trickles bytes cannot outlast it.
"""

from __future__ import annotations

import _ssl
import asyncio
import contextlib
import os
import ssl
import warnings
from dataclasses import dataclass, field

EHLO_NAME = "smecyber.invalid"  # RFC 2606 name: we announce no real host
MAX_SMTP_LINE = 4096
MAX_SMTP_LINES = 100

# Python's names for the versions we can probe with the ssl module, in the report's spelling.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1/TLSv1_1 members are deprecated, not gone
    SSL_MODULE_VERSIONS: dict[str, ssl.TLSVersion] = {
        "TLSv1.0": ssl.TLSVersion.TLSv1,
        "TLSv1.1": ssl.TLSVersion.TLSv1_1,
        "TLSv1.2": ssl.TLSVersion.TLSv1_2,
        "TLSv1.3": ssl.TLSVersion.TLSv1_3,
    }
_REPORT_NAME = {"TLSv1": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3",
                "SSLv3": "SSLv3"}


class StartTlsRefusedError(Exception):
    """The SMTP server did not offer or accept STARTTLS."""


@dataclass(slots=True)
class HandshakeResult:
    version: str  # report spelling, e.g. "TLSv1.3"
    cipher_openssl: str  # OpenSSL's name of the negotiated suite
    chain_der: list[bytes] = field(default_factory=list)  # as presented, leaf first


def _client_context(version: str | None) -> ssl.SSLContext:
    """A context that accepts anything: we judge the server, so the client must not refuse first."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # SECLEVEL=0 lets OpenSSL 3 speak TLS 1.0/1.1, SHA-1 signatures and small keys, so old servers are
    # measured instead of failing with a handshake error.
    ctx.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if version is None:
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_3
        else:
            ctx.minimum_version = ctx.maximum_version = SSL_MODULE_VERSIONS[version]
    return ctx


async def _smtp_starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    async def reply() -> tuple[int, list[str]]:
        lines: list[str] = []
        for _ in range(MAX_SMTP_LINES):
            raw = await reader.readline()
            if not raw:
                raise ConnectionError("SMTP server closed the connection")
            if len(raw) > MAX_SMTP_LINE:
                raise ConnectionError("SMTP reply line too long")
            text = raw.decode("latin-1").rstrip("\r\n")
            lines.append(text[4:])
            if len(text) < 4 or text[3] != "-":
                try:
                    return int(text[:3]), lines
                except ValueError:
                    raise ConnectionError(f"not an SMTP reply: {text[:60]!r}") from None
        raise ConnectionError("SMTP reply has too many lines")

    code, _ = await reply()
    if code != 220:
        raise StartTlsRefusedError(f"SMTP greeting {code}")
    writer.write(f"EHLO {EHLO_NAME}\r\n".encode())
    code, caps = await reply()
    if code != 250:
        raise StartTlsRefusedError(f"EHLO answered {code}")
    if not any(c.upper().startswith("STARTTLS") for c in caps):
        raise StartTlsRefusedError("STARTTLS not offered")
    writer.write(b"STARTTLS\r\n")
    code, _ = await reply()
    if code != 220:
        raise StartTlsRefusedError(f"STARTTLS answered {code}")


async def handshake(
    address: str, port: int, server_name: str, *, starttls: str | None, version: str | None,
    timeout: float,
) -> HandshakeResult:
    """One full handshake; ``version`` pins the protocol version, ``None`` lets the server choose."""
    ctx = _client_context(version)
    writer: asyncio.StreamWriter | None = None
    async with asyncio.timeout(timeout):
        try:
            if starttls == "smtp":
                reader, writer = await asyncio.open_connection(address, port, limit=MAX_SMTP_LINE * 2)
                await _smtp_starttls(reader, writer)
                await writer.start_tls(ctx, server_hostname=server_name, ssl_handshake_timeout=timeout)
            elif starttls is None:
                reader, writer = await asyncio.open_connection(
                    address, port, ssl=ctx, server_hostname=server_name, ssl_handshake_timeout=timeout
                )
            else:
                raise ValueError(f"unsupported STARTTLS protocol {starttls!r}")
            sslobj = writer.get_extra_info("ssl_object")
            assert sslobj is not None
            cipher = sslobj.cipher()
            # Python 3.11 has the presented chain only through the private _sslobj (public from 3.13).
            chain = [c.public_bytes(_ssl.ENCODING_DER)  # type: ignore[attr-defined]
                     for c in (sslobj._sslobj.get_unverified_chain() or [])]
            if not chain:
                leaf = sslobj.getpeercert(binary_form=True)
                chain = [leaf] if leaf else []
            return HandshakeResult(_REPORT_NAME.get(sslobj.version() or "", sslobj.version() or "?"),
                                   cipher[0] if cipher else "", chain)
        finally:
            if writer is not None:
                writer.transport.abort()  # no close_notify dance: it only gives a slow peer more time


# --- SSL 2.0 / 3.0: OpenSSL 3 cannot speak them, so we send a bare ClientHello and read the answer ---

# Suites an SSL 3.0 server of any age supports at least one of (RSA, DHE, ECDHE with 3DES/RC4/AES/DES).
_SSL3_SUITES = bytes.fromhex(
    "c014c013c00ac0090039003300350016002f000a0005000400090064006200080003")
_SSL2_SPECS = bytes.fromhex("0700c0050080030080010080060040040080020080")


def _ssl3_hello(pre_tls: bytes) -> bytes:
    body = b"\x03\x00" + os.urandom(32) + b"\x00" + len(_SSL3_SUITES).to_bytes(2, "big") + _SSL3_SUITES + b"\x01\x00"
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return pre_tls + b"\x16\x03\x00" + len(hs).to_bytes(2, "big") + hs


def _ssl2_hello() -> bytes:
    challenge = os.urandom(16)
    body = b"\x01\x00\x02" + len(_SSL2_SPECS).to_bytes(2, "big") + b"\x00\x00" + b"\x00\x10" + _SSL2_SPECS + challenge
    return (0x8000 | len(body)).to_bytes(2, "big") + body


async def probe_legacy(address: str, port: int, version: str, *, starttls: str | None, timeout: float) -> bool:
    """Whether the server answers an SSL 2.0 / 3.0 ClientHello with a ServerHello of that version."""
    writer: asyncio.StreamWriter | None = None
    async with asyncio.timeout(timeout):
        try:
            reader, writer = await asyncio.open_connection(address, port, limit=MAX_SMTP_LINE * 2)
            if starttls == "smtp":
                await _smtp_starttls(reader, writer)
            if version == "SSLv2":
                writer.write(_ssl2_hello())
                head = await reader.readexactly(3)
                # 2-byte record header (high bit set), then SERVER-HELLO (message type 4)
                return bool(head[0] & 0x80) and head[2] == 4
            writer.write(_ssl3_hello(b""))
            head = await reader.readexactly(5)
            if head[0] != 0x16:  # an alert or anything else: refused
                return False
            body = await reader.readexactly(min(int.from_bytes(head[3:5], "big"), 6))
            return body[0] == 2 and body[4:6] == b"\x03\x00"  # ServerHello, server_version 3.0
        except (asyncio.IncompleteReadError, ConnectionError):
            return False
        finally:
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.transport.abort()
