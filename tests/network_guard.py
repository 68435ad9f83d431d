"""A pytest plugin that makes any test fail which tries to reach beyond loopback.

Every socket connect / sendto and every system name lookup is checked; a non-loopback target raises
:class:`NetworkLeakError` and the test is failed even if the code under test swallowed the exception.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

_LEAKS: list[str] = []
_ORIG = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "sendto": socket.socket.sendto,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
}


class NetworkLeakError(OSError):
    pass


def _is_loopback_host(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host in ("localhost", "localhost.localdomain", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _deny(what: str) -> None:
    _LEAKS.append(what)
    raise NetworkLeakError(f"network access outside loopback blocked in tests: {what}")


def _check_address(sock: socket.socket, address: Any, op: str) -> None:
    if sock.family == socket.AF_UNIX:
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback_host(host):
        _deny(f"{op} {address!r}")


def _connect(self: socket.socket, address: Any) -> Any:
    _check_address(self, address, "connect")
    return _ORIG["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> Any:
    _check_address(self, address, "connect")
    return _ORIG["connect_ex"](self, address)


def _sendto(self: socket.socket, data: Any, *args: Any) -> Any:
    _check_address(self, args[-1], "sendto")
    return _ORIG["sendto"](self, data, *args)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not _is_loopback_host(host):
        _deny(f"name lookup {host!r}")
    return _ORIG["getaddrinfo"](host, *args, **kwargs)


def _gethostbyname(host: Any) -> Any:
    if not _is_loopback_host(host):
        _deny(f"name lookup {host!r}")
    return _ORIG["gethostbyname"](host)


def _gethostbyname_ex(host: Any) -> Any:
    if not _is_loopback_host(host):
        _deny(f"name lookup {host!r}")
    return _ORIG["gethostbyname_ex"](host)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _sendto  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname_ex


def pytest_configure(config: pytest.Config) -> None:
    install()


@pytest.fixture(autouse=True)
def _fail_on_network_leak() -> Any:
    """Autouse: a test that tried to reach a non-loopback address fails, even if it caught the error."""
    before = len(_LEAKS)
    yield
    leaked = _LEAKS[before:]
    if leaked:
        pytest.fail("test tried to reach beyond loopback: " + "; ".join(leaked), pytrace=False)
