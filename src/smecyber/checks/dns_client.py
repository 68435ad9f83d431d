"""DNS lookups for a scan: the configured nameservers only, bounded, cached per scan.

Checks never use the system resolver: a scan asks exactly the nameservers in its configuration (in the
lab, the lab's validating resolver), so results are reproducible and tests cannot leak queries.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

# Answers larger than this many records are treated as hostile (a legitimate RRset is tiny).
MAX_RECORDS = 100


@dataclass(frozen=True, slots=True)
class Nameserver:
    host: str
    port: int = 53

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(slots=True)
class DnsAnswer:
    """The outcome of one query, with enough detail to tell NXDOMAIN, NODATA and failures apart."""

    name: str
    rdtype: str
    rcode: str  # NOERROR, NXDOMAIN, SERVFAIL, ... or TIMEOUT / ERROR / TOOBIG
    records: list[str] = field(default_factory=list)  # presentation form, one per record
    rrset: dns.rrset.RRset | None = None
    authenticated: bool = False  # AD flag from a validating resolver
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.rcode == "NOERROR"

    @property
    def nxdomain(self) -> bool:
        return self.rcode == "NXDOMAIN"

    @property
    def failed(self) -> bool:
        """The lookup itself failed (not a clean answer or clean non-existence)."""
        return self.rcode not in ("NOERROR", "NXDOMAIN")

    @property
    def void(self) -> bool:
        """RFC 7208 s4.6.4: a lookup that returned no records (NODATA or NXDOMAIN)."""
        return self.rcode in ("NOERROR", "NXDOMAIN") and not self.records


class DnsClient:
    """Async stub resolver bound to fixed nameservers with per-query timeout and a per-scan cache."""

    def __init__(self, nameservers: list[Nameserver], timeout: float = 3.0, retries: int = 1) -> None:
        if not nameservers:
            raise ValueError("at least one nameserver is required")
        self.nameservers = nameservers
        self.timeout = timeout
        self.retries = retries
        self._cache: dict[tuple[str, str, bool], DnsAnswer] = {}
        self._inflight: dict[tuple[str, str, bool], asyncio.Future[DnsAnswer]] = {}
        self.queries_sent = 0

    async def query(self, name: str, rdtype: str, *, cd: bool = False) -> DnsAnswer:
        """Query ``name``/``rdtype``; ``cd`` sets Checking Disabled (used to tell bogus from broken)."""
        key = (name.lower().rstrip("."), rdtype.upper(), cd)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        fut: asyncio.Future[DnsAnswer] = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        try:
            answer = await self._resolve(key[0], key[1], cd)
            self._cache[key] = answer
            fut.set_result(answer)
            return answer
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        finally:
            self._inflight.pop(key, None)

    async def _resolve(self, name: str, rdtype: str, cd: bool) -> DnsAnswer:
        try:
            qname = dns.name.from_text(name)
        except dns.exception.DNSException as exc:
            return DnsAnswer(name, rdtype, "ERROR", error=f"invalid name: {exc}")
        last_error = "no answer"
        for attempt in range(self.retries + 1):
            for ns in self.nameservers:
                msg = dns.message.make_query(qname, rdtype, want_dnssec=True, use_edns=0, payload=1232)
                msg.flags |= dns.flags.AD
                if cd:
                    msg.flags |= dns.flags.CD
                self.queries_sent += 1
                try:
                    response = await self._send(msg, ns)
                except dns.exception.Timeout:
                    last_error = f"timeout after {self.timeout:g}s asking {ns}"
                    continue
                except (OSError, dns.exception.DNSException, ValueError) as exc:
                    last_error = f"{type(exc).__name__} asking {ns}: {exc}"
                    continue
                return self._answer_from(name, rdtype, qname, response)
            if attempt < self.retries:
                await asyncio.sleep(0)
        rcode = "TIMEOUT" if last_error.startswith("timeout") else "ERROR"
        return DnsAnswer(name, rdtype, rcode, error=last_error)

    async def _send(self, msg: dns.message.Message, ns: Nameserver) -> dns.message.Message:
        response = await dns.asyncquery.udp(msg, ns.host, timeout=self.timeout, port=ns.port)
        if response.flags & dns.flags.TC:
            response = await dns.asyncquery.tcp(msg, ns.host, timeout=self.timeout, port=ns.port)
        return response

    @staticmethod
    def _answer_from(
        name: str, rdtype: str, qname: dns.name.Name, response: dns.message.Message
    ) -> DnsAnswer:
        rcode = dns.rcode.to_text(response.rcode())
        ad = bool(response.flags & dns.flags.AD)
        if rcode != "NOERROR":
            return DnsAnswer(name, rdtype, rcode, authenticated=ad)
        wanted = dns.rdatatype.from_text(rdtype)
        total = sum(len(r) for r in response.answer)
        if total > MAX_RECORDS:
            return DnsAnswer(
                name, rdtype, "TOOBIG", authenticated=ad,
                error=f"answer has {total} records, more than the {MAX_RECORDS} accepted",
            )
        # Follow the CNAME chain inside the answer section to the wanted RRset.
        target = qname
        for _ in range(10):
            rrset = response.get_rrset(response.answer, target, dns.rdataclass.IN, wanted)
            if rrset is not None:
                records = [r.to_text() for r in rrset]
                return DnsAnswer(name, rdtype, rcode, records, rrset, authenticated=ad)
            cname = response.get_rrset(response.answer, target, dns.rdataclass.IN, dns.rdatatype.CNAME)
            if cname is None:
                break
            target = cname[0].target
        return DnsAnswer(name, rdtype, rcode, authenticated=ad)

    async def txt(self, name: str) -> DnsAnswer:
        """TXT records with the character-strings of each record joined (RFC 7208 s3.3)."""
        answer = await self.query(name, "TXT")
        if answer.rrset is not None:
            answer = DnsAnswer(
                answer.name, answer.rdtype, answer.rcode,
                [b"".join(r.strings).decode("utf-8", "replace") for r in answer.rrset],
                answer.rrset, answer.authenticated, answer.error,
            )
        return answer

    async def addresses(self, name: str) -> tuple[list[str], list[DnsAnswer]]:
        """IPv4 and IPv6 addresses of ``name`` (both lookups in parallel)."""
        a, aaaa = await asyncio.gather(self.query(name, "A"), self.query(name, "AAAA"))
        return a.records + aaaa.records, [a, aaaa]


def parse_nameserver(spec: str) -> Nameserver:
    """Parse ``HOST``, ``HOST:PORT`` or ``[V6]:PORT``; only IP addresses are accepted as HOST."""
    import ipaddress

    from .errors import ScanInputError

    text = spec.strip()
    host, port = text, 53
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ScanInputError(f"invalid nameserver {spec!r}: missing ']'")
        host = text[1:end]
        rest = text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ScanInputError(f"invalid nameserver {spec!r}")
            port = _port(spec, rest[1:])
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        port = _port(spec, port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ScanInputError(f"invalid nameserver {spec!r}: give an IP address, as HOST:PORT") from None
    return Nameserver(host, port)


def _port(spec: str, text: str) -> int:
    from .errors import ScanInputError

    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ScanInputError(f"invalid nameserver {spec!r}: port must be 1-65535")
    return int(text)
