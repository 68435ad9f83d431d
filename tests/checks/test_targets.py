"""Target safety: which names may be scanned and which addresses may be contacted.

The end-to-end tests at the bottom run a real scan against a scripted DNS responder on 127.0.0.1 and watch
every socket: a name that resolves to a forbidden address must produce no connection at all, and an
allowed name is resolved once and connected to at exactly the address that was checked.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from smecyber.checks.config import ScanConfig
from smecyber.checks.context import ScanContext
from smecyber.checks.engine import scan
from smecyber.checks.errors import InvalidDomainError, ScanInputError, UnsafeAddressError
from smecyber.checks.targets import address_problem, check_address, normalize_domain, unicode_name

from .dns.fake_dns import FakeDns

# --- normalize_domain: accepted names --------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("example.com", "example.com"),
    ("EXAMPLE.COM", "example.com"),
    ("Example.Com.", "example.com"),  # trailing dot (fully qualified) is fine
    ("  example.com\n", "example.com"),  # pasted with whitespace
    ("bücher.example", "xn--bcher-kva.example"),
    ("BÜCHER.example", "xn--bcher-kva.example"),  # UTS-46 case mapping before punycode
    ("ÄÖ.example", "xn--4ca0b.example"),
    ("räksmörgås.se", "xn--rksmrgs-5wao1o.se"),
    ("ąčęėįšųūž.lt", "xn--2daq4ah5ionmc1c6e.lt"),
    ("ß.example", "xn--zca.example"),  # IDNA 2008: ß is kept, not mapped to "ss"
    ("example。com", "example.com"),  # ideographic full stop is a dot (UTS-46)
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),  # A-label input stays as it is
    ("XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"),
    ("a-b.example", "a-b.example"),
    ("1e1.example", "1e1.example"),  # numeric-looking but not an IP literal: the TLD is alphabetic
    ("127.0.0.1.nip.io", "127.0.0.1.nip.io"),  # a real name; its *address* is what gets checked
    ("a." * 60 + "example", "a." * 60 + "example"),
])
def test_accepted_names(raw: str, expected: str) -> None:
    assert normalize_domain(raw) == expected


def test_unicode_name_round_trip() -> None:
    assert unicode_name("xn--bcher-kva.example") == "bücher.example"
    assert unicode_name("not--valid.example") == "not--valid.example"


def test_longest_valid_name_is_accepted() -> None:
    name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])
    assert len(name) == 253
    assert normalize_domain(name) == name
    assert normalize_domain(name + ".") == name  # the trailing dot does not count


# --- normalize_domain: refused names ------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"),
    ("   ", "empty"),
    ("example", "at least two labels"),
    ("localhost", "at least two labels"),
    ("example..com", "empty label"),
    (".example.com", "empty label"),
    ("example.com..", "empty label"),
    ("-bad.example", "characters"),
    ("bad-.example", "characters"),
    ("under_score.example", "characters"),
    ("*.example.com", "characters"),
    ("exa!mple.com", "characters"),
    ("ex%61mple.com", "characters"),
    ("a" * 64 + ".example", "longer than 63"),
    (".".join(["a" * 63] * 4) + ".com", "longer than 253"),
    ("xn--abc.example", "punycode"),  # decodes to control characters
    ("xn--a.example", "punycode"),
    ("xn--0.example", "punycode"),
    ("xn--.example", "characters"),
    ("http://example.com", "URL"),
    ("https://example.com/", "URL"),
    ("example.com/path", "URL"),
    ("//example.com", "URL"),
    ("user@example.com", "e-mail"),
    ("mailto:user@example.com", "URL or e-mail"),
    ("exa mple.com", "URL"),
    ("example.com:443", "ports"),
    ("bad\u0000.example", "characters"),
    ("a\u2044b.example", "internationalised"),  # fraction slash: disallowed in IDNA 2008
    ("\u0661\u0662.example\u0663", "internationalised"),  # Arabic-Indic digits
])
def test_refused_names(raw: str, reason: str) -> None:
    with pytest.raises(InvalidDomainError) as exc:
        normalize_domain(raw)
    assert reason in str(exc.value)
    assert isinstance(exc.value, ScanInputError)  # the CLI reports it as bad input (exit 2)


# IP literals in every spelling a URL parser or inet_aton accepts: all must be refused as names.
@pytest.mark.parametrize("raw", [
    "127.0.0.1", "127.0.0.1.", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.0.0.1", "0x7F.1",
    "017700000001", "0177.0.0.1", "0177.1", "0.0.0.0", "0", "10.0.0.1", "1.2.3.04", "192.168.1.1",
    "[::1]", "::1", "[::ffff:127.0.0.1]", "::ffff:127.0.0.1", "::ffff:7f00:1", "[fe80::1%25eth0]",
    "fe80::1%eth0", "[2001:db8::1]:443", "１２７.０.０.１", "127。0。0。1", "example.123", "example.0x1",
])
def test_ip_literals_are_refused(raw: str) -> None:
    with pytest.raises(InvalidDomainError):
        normalize_domain(raw)


# --- address_problem ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local"),  # cloud metadata service
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("0.1.2.3", "private"),  # "this network"
    ("240.0.0.1", "private"),  # reserved class E (Python calls it private)
    ("255.255.255.255", "private"),
    ("192.0.2.1", "private"),  # documentation
    ("198.18.0.1", "private"),  # benchmarking
    ("2001:db8::1", "private"),  # documentation
    ("3fff::1", "reserved"),  # documentation since RFC 9637; unknown to Python < 3.13
    ("fec0::1", "site-local"),  # deprecated site-local
    ("::ffff:127.0.0.1", "IPv4-mapped"),
    ("::ffff:10.0.0.1", "IPv4-mapped"),
    ("::ffff:8.8.8.8", "IPv4-mapped"),  # even a public one: such an answer is a trick, not a server
    ("2002:7f00:1::1", "6to4"),  # 6to4 wrapping 127.0.0.1
    ("2002:c0a8:101::1", "6to4"),  # 6to4 wrapping 192.168.1.1
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("64:ff9b::7f00:1", "NAT64"),  # NAT64 wrapping 127.0.0.1
    ("64:ff9b::a00:1", "NAT64"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("::127.0.0.1", "reserved"),  # deprecated IPv4-compatible
    ("127.1", "not an IP address"),  # short forms never come from DNS; refuse rather than guess
    ("0177.0.0.1", "not an IP address"),
    ("example.com", "not an IP address"),
])
def test_unsafe_addresses_are_refused(address: str, reason: str) -> None:
    problem = address_problem(address, allow_loopback=False)
    assert problem is not None and reason in problem
    with pytest.raises(UnsafeAddressError):
        check_address(address, allow_loopback=False)


@pytest.mark.parametrize("address", ["127.0.0.1", "127.53.1.7", "::1"])
def test_loopback_allowed_only_when_asked(address: str) -> None:
    assert address_problem(address, allow_loopback=True) is None
    assert address_problem(address, allow_loopback=False) == "loopback address"


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "64:ff9b::7f00:1",
                                     "0.0.0.0", "100.64.0.1", "fec0::1"])
def test_allow_loopback_allows_nothing_else(address: str) -> None:
    assert address_problem(address, allow_loopback=True) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700::1111", "2a00:1450::1",
                                     "192.31.196.1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_problem(address, allow_loopback=False) is None
    check_address(address, allow_loopback=False)


# --- end to end: resolve once, connect only to the checked address -------------------------------------


class _Connections:
    """Records every TCP connect and UDP send made by the code under test (not the DNS responder's replies)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, responder: FakeDns) -> None:
        self.targets: list[tuple[str, Any]] = []
        original_connect, original_sendto = socket.socket.connect, socket.socket.sendto
        outer = self

        def connect(sock: socket.socket, address: Any) -> Any:
            outer.targets.append(("connect", address))
            return original_connect(sock, address)

        def sendto(sock: socket.socket, data: Any, *args: Any) -> Any:
            if sock is not responder.udp_socket:
                outer.targets.append(("sendto", args[-1]))
            return original_sendto(sock, data, *args)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "sendto", sendto)


@pytest.fixture
def fake_dns() -> Iterator[FakeDns]:
    with FakeDns() as server:
        yield server


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[ThreadingHTTPServer, list[str]]]:
    seen: list[str] = []

    class Handler(_Hello):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Host", ""))
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, seen
    server.shutdown()
    server.server_close()


async def test_scan_of_private_name_makes_no_connection(fake_dns: FakeDns, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every name the checks may look up points at an address the scanner must refuse.
    for name in ("private.test", "www.private.test", "mail.private.test", "mta-sts.private.test"):
        fake_dns.add(name, "A", "127.0.0.1", "10.0.0.1")
        fake_dns.add(name, "AAAA", "::1", "fe80::1")
    fake_dns.add("private.test", "MX", "10 mail.private.test.")
    fake_dns.add("private.test", "NS", "ns1.private.test.")
    watch = _Connections(monkeypatch, fake_dns)
    config = ScanConfig.build(["private.test"], nameservers=[fake_dns.nameserver], allow_loopback=False,
                              timeout=2, total_timeout=30)
    results, _ = await scan(config)
    assert results[0].domain == "private.test"
    dns_server = ("127.0.0.1", fake_dns.port)
    others = [t for t in watch.targets if tuple(t[1][:2]) != dns_server]
    assert others == [], f"the scan contacted something other than its DNS server: {others}"
    assert any(t[0] == "sendto" for t in watch.targets)  # it did run and ask DNS


async def test_connection_goes_to_the_address_resolved_once(
    fake_dns: FakeDns, http_server: tuple[ThreadingHTTPServer, list[str]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, seen = http_server
    port = server.server_address[1]
    fake_dns.add("site.test", "A", "127.0.0.1")
    config = ScanConfig.build(["site.test"], nameservers=[fake_dns.nameserver], allow_loopback=True, timeout=2)
    watch = _Connections(monkeypatch, fake_dns)
    async with ScanContext(config) as sctx:
        first = await sctx.http.fetch(f"http://site.test:{port}/")
        # DNS rebinding: the name now points at a private address; the scan must not look it up again.
        fake_dns.records[("site.test", "A")] = ["10.0.0.1"]
        second = await sctx.http.fetch(f"http://site.test:{port}/again", headers={"Connection": "close"})
    assert first.final is not None and first.final.status == 200
    assert second.final is not None and second.final.status == 200
    assert len(fake_dns.queries("site.test", "A")) == 1
    assert len(fake_dns.queries("site.test", "AAAA")) == 1
    assert seen == [f"site.test:{port}"] * 2  # the Host header keeps the name; the socket used the address
    tcp = [t[1] for t in watch.targets if t[0] == "connect"]
    assert tcp and all(addr[0] == "127.0.0.1" and addr[1] == port for addr in tcp)


async def test_fetch_of_name_with_only_unsafe_addresses_is_refused(fake_dns: FakeDns) -> None:
    fake_dns.add("evil.test", "A", "169.254.169.254")
    config = ScanConfig.build(["evil.test"], nameservers=[fake_dns.nameserver], allow_loopback=True, timeout=2)
    async with ScanContext(config) as sctx:
        result = await asyncio.wait_for(sctx.http.fetch("http://evil.test/latest/meta-data/"), 10)
    assert result.final is None
    assert result.error_kind == "unsafe"
    assert "169.254.169.254" in (result.error or "")
