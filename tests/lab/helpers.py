"""Tiny clients for the lab's own tests: connect to a lab address, never to a name."""

from __future__ import annotations

import socket
import ssl

from smecyber.lab.lab import Lab


def tls_context(lab: Lab) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(lab.ca_file))


def http_get(
    lab: Lab, host: str, path: str = "/", *, tls: bool = True, domain: str | None = None, verify: bool = True,
    timeout: float = 5.0, limit: int = 1_000_000,
) -> tuple[int, dict[str, list[str]], bytes]:
    """GET ``path`` from the server of ``domain`` (default: ``host``), sending Host/SNI ``host``."""
    address = lab.address_of(domain or host)
    raw = socket.create_connection((address, 443 if tls else 80), timeout=timeout)
    sock: socket.socket = raw
    if tls:
        ctx = tls_context(lab)
        if not verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        sock = ctx.wrap_socket(raw, server_hostname=host)
    with sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    return int(lines[0].split()[1]), headers, body


def smtp_dialog(lab: Lab, domain: str, commands: list[str], timeout: float = 5.0) -> list[str]:
    """Send ``commands`` to the domain's SMTP server; the replies, one string per reply."""
    with socket.create_connection((lab.address_of(domain), 25), timeout=timeout) as sock:
        f = sock.makefile("rb")
        replies = [_reply(f)]
        for c in commands:
            sock.sendall(c.encode() + b"\r\n")
            replies.append(_reply(f))
        return replies


def _reply(f: object) -> str:
    lines = []
    while True:
        line = f.readline().decode()  # type: ignore[attr-defined]
        lines.append(line.rstrip("\r\n"))
        if len(line) < 4 or line[3] != "-":
            return "\n".join(lines)
