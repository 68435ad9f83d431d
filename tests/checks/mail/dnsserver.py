"""A tiny authoritative DNS responder on 127.0.0.1 for mail check tests (UDP and TCP, one thread).

Zones are plain dicts: ``{"name.test": [("TXT", "v=spf1 -all"), ("MX", "10 mx.name.test"), ...]}``.
TXT values may be a string or a list of character-strings (bytes or str). Answers follow DNS rules the
checks rely on: NXDOMAIN only for names with nothing at or below them (RFC 8020), NODATA otherwise, CNAMEs
chased inside the zone. ``secure`` names get the AD flag (standing in for a validating resolver),
``servfail`` names answer SERVFAIL unless CD is set (a bogus zone), ``timeout`` names never answer.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset

from smecyber.checks.config import ScanConfig
from smecyber.checks.context import DomainContext, ScanContext
from smecyber.checks.dns_client import Nameserver
from smecyber.checks.model import Finding

Record = tuple[str, Any]


def _norm(name: str) -> str:
    return name.lower().rstrip(".")


def _txt_strings(value: Any) -> list[bytes]:
    items = [value] if isinstance(value, str | bytes) else list(value)
    out: list[bytes] = []
    for item in items:
        b = item.encode("utf-8") if isinstance(item, str) else bytes(item)
        # one long TXT value becomes several 255-byte character-strings, as zone files do
        out.extend([b[i : i + 255] for i in range(0, len(b), 255)] or [b""])
    return out or [b""]


class ZoneServer:
    def __init__(
        self, zone: dict[str, Iterable[Record]], *, secure: Iterable[str] = (), servfail: Iterable[str] = (),
        timeout: Iterable[str] = (), secure_all: bool = False,
    ) -> None:
        self.zone = {_norm(k): list(v) for k, v in zone.items()}
        self.secure = {_norm(s) for s in secure}
        self.secure_all = secure_all
        self.servfail = {_norm(s) for s in servfail}
        self.timeout = {_norm(s) for s in timeout}
        self.queries: list[tuple[str, str]] = []
        self._udp, self._tcp = self._bind_pair()
        self.port = self._udp.getsockname()[1]
        self._stop = False
        self._threads = [threading.Thread(target=self._serve_udp, daemon=True),
                         threading.Thread(target=self._serve_tcp, daemon=True)]

    @staticmethod
    def _bind_pair() -> tuple[socket.socket, socket.socket]:
        """A UDP and a TCP socket on the same free port (retry: the TCP port may be taken)."""
        for _ in range(50):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind(("127.0.0.1", 0))
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind(("127.0.0.1", udp.getsockname()[1]))
            except OSError:
                udp.close()
                tcp.close()
                continue
            tcp.listen(16)
            return udp, tcp
        raise OSError("no free port pair for the test DNS server")

    @property
    def nameserver(self) -> Nameserver:
        return Nameserver("127.0.0.1", self.port)

    def __enter__(self) -> ZoneServer:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._udp.close()
        self._tcp.close()

    def _serve_udp(self) -> None:
        while not self._stop:
            try:
                data, addr = self._udp.recvfrom(4096)
            except OSError:
                return
            wire = self._safe_respond(data, 1232)
            if wire is not None:
                with contextlib.suppress(OSError):
                    self._udp.sendto(wire, addr)

    def _serve_tcp(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._tcp.accept()
            except OSError:
                return
            with conn:
                try:
                    head = conn.recv(2)
                    (length,) = struct.unpack("!H", head)
                    data = b""
                    while len(data) < length:
                        chunk = conn.recv(length - len(data))
                        if not chunk:
                            break
                        data += chunk
                    wire = self._safe_respond(data, 65535)
                    if wire is not None:
                        conn.sendall(struct.pack("!H", len(wire)) + wire)
                except (OSError, struct.error):
                    continue

    def _rdata(self, rdtype: str, value: Any) -> dns.rdata.Rdata:
        if rdtype in ("TXT", "SPF"):
            cls = dns.rdtypes.ANY.TXT.TXT
            return cls(dns.rdataclass.IN, dns.rdatatype.from_text(rdtype), _txt_strings(value))
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value)
        return dns.rdata.from_text(dns.rdataclass.IN, rdtype, str(value))

    def _exists(self, name: str) -> bool:
        return name in self.zone or any(k.endswith("." + name) for k in self.zone)

    def _is_secure(self, name: str) -> bool:
        return self.secure_all or any(name == s or name.endswith("." + s) for s in self.secure)

    def _safe_respond(self, data: bytes, limit: int) -> bytes | None:
        """Never let a bad test record kill the server thread: answer SERVFAIL instead."""
        try:
            return self._respond(data, limit)
        except Exception:
            try:
                resp = dns.message.make_response(dns.message.from_wire(data))
            except Exception:
                return None
            resp.set_rcode(dns.rcode.SERVFAIL)
            return resp.to_wire()

    def _respond(self, data: bytes, limit: int) -> bytes | None:
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return None
        q = query.question[0]
        qname, qtype = _norm(q.name.to_text()), dns.rdatatype.to_text(q.rdtype)
        self.queries.append((qname, qtype))
        resp = dns.message.make_response(query)
        resp.flags |= dns.flags.RA
        if qname in self.timeout:
            return None
        if qname in self.servfail and not query.flags & dns.flags.CD:
            resp.set_rcode(dns.rcode.SERVFAIL)
            return resp.to_wire()
        target, secure = qname, self._is_secure(qname)
        for _ in range(8):
            records = self.zone.get(target, [])
            if any(r == "TIMEOUT" or (r[0] == qtype and r[1] == "TIMEOUT") for r in records):
                return None
            wanted = [r for r in records if r != "TIMEOUT" and r[0] == qtype]
            if not wanted and qtype == "TXT" and not any(r[0] == "TXT" for r in records if r != "TIMEOUT"):
                wanted = [("TXT", r[1]) for r in records if r != "TIMEOUT" and r[0] == "SPF"]
            cname = [r for r in records if r != "TIMEOUT" and r[0] == "CNAME"]
            if wanted or not cname or qtype == "CNAME":
                break
            rr = dns.rrset.from_rdata(dns.name.from_text(target), 300, self._rdata("CNAME", cname[0][1]))
            resp.answer.append(rr)
            target = _norm(str(cname[0][1]))
            secure = secure and self._is_secure(target)
        else:
            wanted = []
        if wanted:
            rds = [self._rdata(qtype, v) for _, v in wanted]
            resp.answer.append(dns.rrset.from_rdata_list(dns.name.from_text(target), 300, rds))
        elif not self._exists(target) and not resp.answer:
            resp.set_rcode(dns.rcode.NXDOMAIN)
        if secure:
            resp.flags |= dns.flags.AD
        wire = resp.to_wire()
        if len(wire) > limit:
            resp = dns.message.make_response(query)
            resp.flags |= dns.flags.TC
            wire = resp.to_wire()
        return wire


@contextlib.asynccontextmanager
async def domain_context(
    server: ZoneServer, domain: str, **config: Any
) -> AsyncIterator[DomainContext]:
    """A DomainContext for ``domain`` that asks only ``server``."""
    cfg = ScanConfig(domains=(domain,), nameservers=(server.nameserver,), allow_loopback=True, **config)
    async with ScanContext(cfg) as sctx:
        dctx = DomainContext(sctx, domain)
        try:
            yield dctx
        finally:
            dctx.close()


async def run_check(
    check: Callable[[DomainContext], Awaitable[list[Finding]]], zone: dict[str, Iterable[Record]], domain: str,
    *, server_options: dict[str, Any] | None = None, **config: Any,
) -> list[Finding]:
    """Serve ``zone`` and run one check against ``domain``."""
    with ZoneServer(zone, **(server_options or {})) as server:
        async with domain_context(server, domain, **config) as ctx:
            return await check(ctx)


def keys(findings: list[Finding]) -> set[str]:
    return {f.key for f in findings}


def by_key(findings: list[Finding], key: str) -> Finding:
    matches = [f for f in findings if f.key == key]
    assert matches, f"{key} not in {sorted(keys(findings))}"
    return matches[0]
