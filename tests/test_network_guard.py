"""The guard itself: a test that reaches beyond loopback must fail."""

from __future__ import annotations

import socket

import pytest

from tests.network_guard import _LEAKS, NetworkLeakError


def _drain(n: int) -> None:
    del _LEAKS[n:]  # these leaks were provoked on purpose; keep them from failing this test


def test_public_connect_is_blocked() -> None:
    n = len(_LEAKS)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkLeakError):
        s.connect(("192.0.2.1", 80))
    s.close()
    assert len(_LEAKS) == n + 1
    _drain(n)


def test_public_udp_and_lookup_are_blocked() -> None:
    n = len(_LEAKS)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with pytest.raises(NetworkLeakError):
        s.sendto(b"x", ("9.9.9.9", 53))
    s.close()
    with pytest.raises(NetworkLeakError):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(NetworkLeakError):
        socket.gethostbyname("example.org")
    assert len(_LEAKS) == n + 3
    _drain(n)


def test_private_ranges_are_blocked_too() -> None:
    n = len(_LEAKS)
    for addr in ("10.0.0.1", "192.168.1.1", "172.16.0.1", "::ffff:8.8.8.8"):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        with pytest.raises(NetworkLeakError):
            s.connect((addr, 80))
        s.close()
    _drain(n)


def test_loopback_is_allowed() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()
    assert socket.getaddrinfo("localhost", 80)
