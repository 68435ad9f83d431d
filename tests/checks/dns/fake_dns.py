"""A tiny DNS responder on 127.0.0.1 for tests: plays a validating resolver with scripted answers.

It runs in its own thread with a plain UDP socket, so it works whatever event loop a test uses. Every
query is logged (name, type, CD flag) so tests can count lookups.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import Self

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset


def _norm(name: str) -> str:
    return name.lower().rstrip(".")


def _under(name: str, zones: set[str]) -> bool:
    labels = _norm(name).split(".")
    return any(".".join(labels[i:]) in zones for i in range(len(labels)))


@dataclass
class FakeDns:
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    rcodes: dict[tuple[str, str], str] = field(default_factory=dict)  # forced rcode for (name, TYPE)
    secure: set[str] = field(default_factory=set)  # answers at or under these names carry AD
    insecure: set[str] = field(default_factory=set)  # unsigned delegations below a secure zone: no AD
    bogus: set[str] = field(default_factory=set)  # SERVFAIL at or under these names unless CD is set
    log: list[tuple[str, str, bool]] = field(default_factory=list)
    port: int = 0

    def add(self, name: str, rdtype: str, *rdata: str) -> None:
        self.records.setdefault((_norm(name), rdtype.upper()), []).extend(rdata)

    def queries(self, name: str | None = None, rdtype: str | None = None) -> list[tuple[str, str, bool]]:
        return [q for q in self.log if (name is None or q[0] == _norm(name)) and (rdtype is None or q[1] == rdtype)]

    @property
    def udp_socket(self) -> socket.socket:
        return self._sock

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(65535)
            except (TimeoutError, OSError):
                continue
            try:
                reply = self.answer(dns.message.from_wire(data))
            except Exception:  # a malformed query is dropped, as a real server would
                continue
            if reply is not None:
                self._sock.sendto(reply.to_wire(), peer)

    def answer(self, query: dns.message.Message) -> dns.message.Message | None:
        q = query.question[0]
        name, rdtype = _norm(q.name.to_text()), dns.rdatatype.to_text(q.rdtype)
        cd = bool(query.flags & dns.flags.CD)
        self.log.append((name, rdtype, cd))
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.RA
        forced = self.rcodes.get((name, rdtype))
        if forced == "DROP":
            return None
        if forced:
            reply.set_rcode(dns.rcode.from_text(forced))
            return reply
        if _under(name, self.bogus) and not cd:
            reply.set_rcode(dns.rcode.SERVFAIL)
            return reply
        rdata = self.records.get((name, rdtype))
        if rdata:
            reply.answer.append(dns.rrset.from_text_list(q.name, 300, "IN", rdtype, rdata))
        elif not any(n == name for n, _ in self.records) and not _exists_below(name, self.records):
            reply.set_rcode(dns.rcode.NXDOMAIN)
        if _under(name, self.secure) and not _under(name, self.insecure):
            reply.flags |= dns.flags.AD
        return reply


def _exists_below(name: str, records: dict[tuple[str, str], list[str]]) -> bool:
    """An empty non-terminal (a name with only children) exists: NODATA, not NXDOMAIN."""
    return any(n.endswith("." + name) for n, _ in records)
