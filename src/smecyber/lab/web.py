"""A small HTTP/1.1 server for lab hosts: configured responses per path, redirects, and hostile behaviours."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import re
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

from .spec import DomainSpec, PathSpec, WebSpec

MAX_REQUEST_HEAD = 16 * 1024
IDLE_TIMEOUT = 15.0
SLOW_BODY_BYTES = 120
HUGE_HEADER_BYTES = 10 * 1024 * 1024
_REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
            307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}
_LOOP = {"/": "/loop-a", "/loop-a": "/loop-b", "/loop-b": "/"}
# The platform's domain-ownership file (smecyber.assets.verification); served from a host's docroot when present.
VERIFICATION_PATH = "/.well-known/smecyber-verification.txt"
MAX_DOCROOT_FILE = 64 * 1024
_HOSTNAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")  # a Host header never becomes a path outside the docroot


def docroot_dir(state_dir: Path, host: str) -> Path:
    """Where a lab host's uploaded files live: ``<state_dir>/docroot/<host>/`` (``Lab.docroot`` makes it)."""
    return state_dir / "docroot" / host.lower().rstrip(".")


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


class WebHost:
    """The web side of one lab domain (and of the sweep names that copy it)."""

    def __init__(self, spec: DomainSpec, latency_ms: int = 0, state_dir: Path | None = None) -> None:
        self.spec = spec
        self.web = spec.web or WebSpec(http="redirect", https=True)
        self.latency = (latency_ms + self.web.latency_ms) / 1000
        # Files "uploaded" to the host (as an SME would to its web space) are read from here on each request.
        self.state_dir = state_dir

    # --- connection handling -------------------------------------------------------------------------

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, tls: bool) -> None:
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            for _ in range(100):  # keep-alive, bounded
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_TIMEOUT)
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                    return
                request = _parse_head(head)
                if request is None:
                    writer.write(_serialize(Response(400, [("Content-Type", "text/plain")], b"bad request\n")))
                    await writer.drain()
                    return
                method, path, host, keep_alive = request
                if await self._behave(writer, path, host, tls):
                    return
                resp = self.respond(method, path, host, tls)
                writer.write(_serialize(resp, head_only=method == "HEAD", keep_alive=keep_alive))
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _behave(self, writer: asyncio.StreamWriter, path: str, host: str, tls: bool) -> bool:
        """Run a hostile behaviour; True when it has taken over the connection."""
        mode = self.web.behaviour
        if mode == "slow_body":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                         + f"Content-Length: {SLOW_BODY_BYTES}\r\n\r\n".encode())
            await writer.drain()
            for _ in range(SLOW_BODY_BYTES):  # one byte per second, until the client gives up
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(1)
            return True
        if mode == "huge_header":
            writer.write(b"HTTP/1.1 200 OK\r\nX-Huge: ")
            chunk = b"a" * 65536
            for _ in range(HUGE_HEADER_BYTES // len(chunk)):
                writer.write(chunk)
                await writer.drain()
            writer.write(b"\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return True
        return False

    # --- responses ------------------------------------------------------------------------------------

    def respond(self, method: str, path: str, host: str, tls: bool) -> Response:
        spec, web = self.spec, self.web
        host = host or spec.domain
        if not tls and web.http in ("redirect", "redirect_other_host") and web.behaviour != "redirect_loop":
            target = host
            if web.http == "redirect_other_host":
                target = host[4:] if host.startswith("www.") else f"www.{host}"
            return Response(301, [("Location", f"https://{target}{path}"), ("Content-Type", "text/html")],
                            b"<html><body>moved</body></html>")
        if host.startswith("mta-sts.") and spec.mta_sts is not None:
            return self._mta_sts(path, host[len("mta-sts."):])
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if web.behaviour == "redirect_loop":
            return Response(302, [("Location", _LOOP.get(clean, "/"))], b"")
        if method not in ("GET", "HEAD", "OPTIONS", "POST"):
            return Response(405, [("Allow", "GET, HEAD, OPTIONS")], b"")
        uploaded = self._uploaded(clean, host)
        if uploaded is not None:
            return uploaded
        page = web.paths.get(clean)
        if page is None and clean == "/":
            page = PathSpec(body=web.body)
        if page is None:
            return Response(404, [*web.headers.items(), ("Content-Type", "text/plain; charset=utf-8")],
                            b"not found\n")
        headers = {**web.headers, **page.headers}
        out = [(k, v) for k, v in headers.items()]
        out.append(("Content-Type", page.content_type))
        if page.location:
            out.append(("Location", page.location))
        cookies = page.cookies
        if cookies is None:
            cookies = web.cookies if page.status == 200 and page.content_type.startswith("text/html") else []
        out += [("Set-Cookie", c) for c in cookies]
        site = host[4:] if host.startswith("www.") else host
        return Response(page.status, out, fill_placeholders(page.body, site).encode())

    def _uploaded(self, path: str, host: str) -> Response | None:
        """The verification file from the host's docroot, if one was put there (only that one path)."""
        if self.state_dir is None or path != VERIFICATION_PATH or not _HOSTNAME.fullmatch(host):
            return None
        file = docroot_dir(self.state_dir, host) / VERIFICATION_PATH.lstrip("/")
        try:
            body = file.read_bytes()[:MAX_DOCROOT_FILE]
        except OSError:
            return None
        return Response(200, [*self.web.headers.items(), ("Content-Type", "text/plain; charset=utf-8")], body)

    def _mta_sts(self, path: str, domain: str) -> Response:
        policy = self.spec.mta_sts
        assert policy is not None
        if path.split("?", 1)[0] != "/.well-known/mta-sts.txt":
            return Response(404, [("Content-Type", "text/plain")], b"not found\n")
        return Response(policy.status, [("Content-Type", "text/plain")], policy.text(domain).encode())


def fill_placeholders(text: str, domain: str) -> str:
    """{domain}: the host's domain (sweep names get their own); {expires}: a date 180 days ahead."""
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text.replace("{domain}", domain).replace("{expires}", expires)


def _parse_head(head: bytes) -> tuple[str, str, str, bool] | None:
    try:
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
    except ValueError:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            return None
        headers[name.strip().lower()] = value.strip()
    if not target.startswith("/"):
        return None
    host = headers.get("host", "").lower().rstrip(".")
    if host.startswith("[") or host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    conn = headers.get("connection", "").lower()
    keep_alive = conn != "close" if version == "HTTP/1.1" else conn == "keep-alive"
    return method.upper(), target, host, keep_alive


def _serialize(resp: Response, *, head_only: bool = False, keep_alive: bool = False) -> bytes:
    lines = [f"HTTP/1.1 {resp.status} {_REASONS.get(resp.status, 'Status')}"]
    lines.append(f"Date: {email.utils.formatdate(usegmt=True)}")
    lines += [f"{k}: {v}" for k, v in resp.headers]
    lines.append(f"Content-Length: {len(resp.body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return head if head_only else head + resp.body


async def reset_during_handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the start of the ClientHello, then abort the connection with a TCP RST (SO_LINGER 0)."""
    try:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(reader.read(5), 5)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        writer.transport.abort()
