"""Safe network access for checks: resolve once with the scan's resolver, refuse unsafe addresses,
connect to the address that was checked, and bound every exchange in time and size.

HTTP goes through httpcore (the transport layer of httpx) with a network backend that pins each
hostname to an address this module resolved and checked, so URLs, SNI and Host headers stay the real
names while no connection can be steered to another address by a second lookup (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore

from .config import ScanConfig
from .dns_client import DnsClient
from .errors import LimitExceededError, UnsafeAddressError
from .targets import address_problem

MAX_HEADER_BYTES = 64 * 1024
# Resolved.error when the name exists but has no A/AAAA record: a domain without a website, not a failure.
NO_ADDRESS = "the name has no IPv4 or IPv6 address"
USER_AGENT = "smecyber/0.1 (+https://github.com/smecyber/smecyber; security self-check)"


@dataclass(slots=True)
class Resolved:
    host: str
    addresses: list[str]  # safe addresses, in the order to try
    refused: dict[str, str] = field(default_factory=dict)  # address -> reason
    error: str | None = None  # DNS failure


class SafeResolver:
    """Resolves hostnames with the scan's DNS client and filters addresses by the safety rules."""

    def __init__(self, dns: DnsClient, allow_loopback: bool) -> None:
        self.dns = dns
        self.allow_loopback = allow_loopback
        self._cache: dict[str, Resolved] = {}

    async def resolve(self, host: str) -> Resolved:
        host = host.lower().rstrip(".")
        cached = self._cache.get(host)
        if cached is not None:
            return cached
        addrs, answers = await self.dns.addresses(host)
        result = Resolved(host, [])
        if not addrs:
            failed = [a for a in answers if a.failed]
            if failed:
                result.error = f"DNS lookup failed: {failed[0].rcode} {failed[0].error or ''}".strip()
            elif any(a.nxdomain for a in answers):
                result.error = "the name does not exist (NXDOMAIN)"
            else:
                result.error = NO_ADDRESS
        for addr in addrs:
            problem = address_problem(addr, allow_loopback=self.allow_loopback)
            if problem:
                result.refused[addr] = problem
            else:
                result.addresses.append(addr)
        self._cache[host] = result
        return result

    async def addresses_or_raise(self, host: str) -> list[str]:
        r = await self.resolve(host)
        if r.addresses:
            return r.addresses
        if r.refused:
            addr, reason = next(iter(r.refused.items()))
            raise UnsafeAddressError(addr, reason)
        raise OSError(r.error or f"cannot resolve {host}")


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore backend that connects only to addresses :class:`SafeResolver` approved."""

    def __init__(self, resolver: SafeResolver, connect_timeout: float) -> None:
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()
        self._connect_timeout = connect_timeout

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolver.addresses_or_raise(host)
        last: Exception | None = None
        for addr in addresses:
            try:
                return await self._inner.connect_tcp(
                    addr, port, timeout=timeout or self._connect_timeout, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise UnsafeAddressError("unix socket", "not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@dataclass(slots=True)
class HttpResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]  # in order received, names lower-cased, duplicates kept
    body: bytes
    truncated: bool = False
    http_version: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        """First value of a header (case-insensitive), or ``None``."""
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    @property
    def text(self) -> str:  # a property: cached_property cannot work on a slots dataclass
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str | None:
        loc = self.header("location")
        return urljoin(self.url, loc) if loc else None

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308) and self.location is not None


@dataclass(slots=True)
class FetchResult:
    """A request and the redirects it went through. ``error`` is set when no final response arrived."""

    url: str
    chain: list[HttpResponse] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None  # timeout, tls, connect, unsafe, protocol, limit, loop, dns

    @property
    def final(self) -> HttpResponse | None:
        return self.chain[-1] if self.chain and not self.error else None

    @property
    def first(self) -> HttpResponse | None:
        return self.chain[0] if self.chain else None


def make_ssl_context(ca_file: str | None, verify: bool = True) -> ssl.SSLContext:
    if verify:
        ctx = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
    else:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    # OpenSSL's DEFAULT list, not Python's forward-secrecy-only one: like Node (the Observatory) and
    # browsers, the scanner must still see a site that offers only RSA key exchange; judging the cipher
    # suites is the TLS checks' job, not a reason to report the site as down.
    ctx.set_ciphers("DEFAULT")
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


# Idle connections kept for reuse. A domain's few requests go to its own hosts within moments, so a small
# number is enough; httpcore walks every pooled connection on each request, and a sweep of many hosts with
# the default (one per connection slot) spent a fifth of its CPU there.
KEEPALIVE = 8


class HttpFetcher:
    """Bounded HTTP(S) client for one scan. Use as an async context manager."""

    def __init__(self, config: ScanConfig, resolver: SafeResolver) -> None:
        self.config = config
        backend = _PinnedBackend(resolver, config.timeouts.connect)
        ca = str(config.ca_file) if config.ca_file else None
        self._verified = httpcore.AsyncConnectionPool(
            ssl_context=make_ssl_context(ca, True), network_backend=backend, max_connections=50,
            keepalive_expiry=5.0, max_keepalive_connections=KEEPALIVE, retries=0,
        )
        self._unverified = httpcore.AsyncConnectionPool(
            ssl_context=make_ssl_context(ca, False), network_backend=backend, max_connections=50,
            keepalive_expiry=5.0, max_keepalive_connections=KEEPALIVE, retries=0,
        )
        self.requests_sent = 0

    async def __aenter__(self) -> HttpFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._verified.aclose()
        await self._unverified.aclose()

    async def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, verify: bool = True,
        max_body: int | None = None,
    ) -> HttpResponse:
        """One request, no redirects followed. Raises on network, TLS, protocol, size or time errors."""
        limit = max_body if max_body is not None else self.config.max_body_bytes
        hdrs = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
        hdrs.update(headers or {})
        pool = self._verified if verify else self._unverified
        t = self.config.timeouts
        timeouts = {"connect": t.connect, "read": t.operation, "write": t.operation, "pool": t.operation}
        self.requests_sent += 1
        # asyncio.timeout bounds the whole exchange: a server sending one byte per second never
        # trips a per-read timeout, but it cannot outlast this.
        async with asyncio.timeout(t.operation):
            async with pool.stream(
                method, url, headers=list(hdrs.items()), extensions={"timeout": timeouts}
            ) as resp:
                chunks: list[bytes] = []
                size = 0
                truncated = False
                if method != "HEAD":
                    async for chunk in resp.aiter_stream():
                        size += len(chunk)
                        if size > limit:
                            chunks.append(chunk[: len(chunk) - (size - limit)])
                            truncated = True
                            break
                        chunks.append(chunk)
                header_bytes = sum(len(k) + len(v) + 4 for k, v in resp.headers)
                if header_bytes > MAX_HEADER_BYTES:
                    raise LimitExceededError(f"response headers larger than {MAX_HEADER_BYTES} bytes")
                version = resp.extensions.get("http_version", b"HTTP/1.1")
                return HttpResponse(
                    url=url,
                    status=resp.status,
                    headers=[
                        (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in resp.headers
                    ],
                    body=b"".join(chunks),
                    truncated=truncated,
                    http_version=version.decode() if isinstance(version, bytes) else str(version),
                )

    async def fetch(
        self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
        verify: bool = True, follow: bool = True, max_body: int | None = None,
    ) -> FetchResult:
        """Request ``url`` and follow redirects (each hop is resolved and checked again)."""
        result = FetchResult(url)
        seen: set[str] = set()
        current = url
        for _ in range(self.config.max_redirects + 1):
            if current in seen:
                result.error, result.error_kind = f"redirect loop at {current}", "loop"
                return result
            seen.add(current)
            scheme = urlsplit(current).scheme
            if scheme not in ("http", "https"):
                result.error, result.error_kind = f"redirect to unsupported scheme {scheme!r}", "protocol"
                return result
            try:
                resp = await self.request(method, current, headers=headers, verify=verify, max_body=max_body)
            except Exception as exc:  # every failure becomes evidence, never a crash
                result.error, result.error_kind = describe_error(exc)
                return result
            result.chain.append(resp)
            if not (follow and resp.is_redirect):
                return result
            current = resp.location or current
            if method not in ("GET", "HEAD"):
                method = "GET"
        result.error = f"more than {self.config.max_redirects} redirects"
        result.error_kind = "loop"
        return result


def describe_error(exc: BaseException) -> tuple[str, str]:
    """A one-line description and a kind for a network failure."""
    if isinstance(exc, TimeoutError | httpcore.TimeoutException):
        return "timed out", "timeout"
    if isinstance(exc, UnsafeAddressError):
        return str(exc), "unsafe"
    if isinstance(exc, LimitExceededError):
        return str(exc), "limit"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {exc.verify_message}", "tls"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}", "tls"
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, httpcore.ConnectError) and isinstance(cause, ssl.SSLError):
        return describe_error(cause)
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpcore.ConnectError):
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return f"certificate not trusted: {text}", "tls"
        if "SSL" in text or "TLS" in text:
            return f"TLS error: {text}", "tls"
        return f"connection failed: {text}", "connect"
    if isinstance(exc, httpcore.RemoteProtocolError | httpcore.LocalProtocolError):
        return f"protocol error: {text}", "protocol"
    if isinstance(exc, httpcore.ReadError | httpcore.WriteError | ConnectionError):
        return f"connection error: {text}", "connect"
    if isinstance(exc, OSError):
        return text, "dns" if "resolve" in text or "DNS" in text or "NXDOMAIN" in text else "connect"
    return f"{type(exc).__name__}: {text}", "protocol"
