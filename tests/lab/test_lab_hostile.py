"""Hostile hosts behave as promised: slow body, huge header, redirect loop, reset in the TLS handshake."""

from __future__ import annotations

import socket
import time

import pytest

from smecyber.lab.lab import Lab

from .helpers import http_get, tls_context


def test_slow_body_sends_one_byte_per_second(lab: Lab) -> None:
    with socket.create_connection((lab.address_of("slow.test"), 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: slow.test\r\n\r\n")
        start = time.monotonic()
        data = b""
        while time.monotonic() - start < 2.5:
            data += sock.recv(1024)
        body = data.partition(b"\r\n\r\n")[2]
        assert 1 <= len(body) <= 4


def test_huge_header_is_ten_megabytes(lab: Lab) -> None:
    with socket.create_connection((lab.address_of("hugeheader.test"), 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: hugeheader.test\r\n\r\n")
        received = 0
        while received < 1_000_000:
            chunk = sock.recv(65536)
            assert chunk
            assert b"\r\n\r\n" not in chunk
            received += len(chunk)


def test_redirect_loop(lab: Lab) -> None:
    seen = []
    path = "/"
    for _ in range(4):
        status, headers, _ = http_get(lab, "redirectloop.test", path)
        assert status == 302
        path = headers["location"][0]
        seen.append(path)
    assert seen == ["/loop-a", "/loop-b", "/", "/loop-a"]


def test_tls_handshake_is_reset(lab: Lab) -> None:
    with socket.create_connection((lab.address_of("tls-reset.test"), 443), timeout=5) as raw, \
            pytest.raises((ConnectionResetError, OSError)):
        tls_context(lab).wrap_socket(raw, server_hostname="tls-reset.test")
