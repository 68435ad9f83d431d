"""Scan configuration: what to scan, how, and within which limits."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .dns_client import Nameserver, parse_nameserver
from .errors import ScanInputError
from .model import Area
from .targets import normalize_domain


class Depth(StrEnum):
    DEEP = "deep"  # every check, full TLS enumeration (default for one domain)
    SWEEP = "sweep"  # many domains: one handshake per endpoint, no enumeration; see docs/architecture.md


@dataclass(frozen=True, slots=True)
class Timeouts:
    dns: float = 3.0  # one DNS query
    connect: float = 5.0  # one TCP connect
    operation: float = 10.0  # one whole exchange: an HTTP request with its body, one TLS scan step, an SMTP dialog
    total: float = 120.0  # the whole scan of one domain


@dataclass(frozen=True, slots=True)
class ScanConfig:
    domains: tuple[str, ...]
    nameservers: tuple[Nameserver, ...]
    ca_file: Path | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    concurrency: int = 10
    areas: frozenset[Area] = frozenset(Area)
    allow_loopback: bool = False
    depth: Depth = Depth.DEEP
    dkim_selectors: tuple[str, ...] = ()
    max_body_bytes: int = 1_000_000
    max_redirects: int = 10

    @classmethod
    def build(
        cls,
        domains: list[str] | tuple[str, ...],
        *,
        nameservers: list[str] | tuple[str, ...] | None = None,
        ca_file: str | Path | None = None,
        timeout: float | None = None,
        total_timeout: float | None = None,
        concurrency: int = 10,
        areas: str | list[str] | None = None,
        allow_loopback: bool = False,
        depth: str | Depth | None = None,
        dkim_selectors: list[str] | tuple[str, ...] = (),
    ) -> ScanConfig:
        """Validate user input and build a config; raises :class:`ScanInputError` with a clear message."""
        if not domains:
            raise ScanInputError("no domain given")
        normalized: list[str] = []
        for d in domains:
            n = normalize_domain(d)
            if n not in normalized:
                normalized.append(n)
        if isinstance(nameservers, str):  # one string is one list, not a sequence of characters
            nameservers = [n for n in nameservers.split(",") if n.strip()]
        if not nameservers:
            nameservers = _system_nameservers()
        ns = tuple(parse_nameserver(str(s)) for s in nameservers)
        ca: Path | None = None
        if ca_file is not None:
            ca = Path(ca_file)
            if not ca.is_file():
                raise ScanInputError(f"CA file {str(ca)!r} does not exist or is not a file")
            try:
                ca.read_bytes()[:1]
            except OSError as exc:
                raise ScanInputError(f"cannot read CA file {str(ca)!r}: {exc.strerror}") from None
            try:
                # Load it now: a file that is not PEM would otherwise fail later, as a crash mid-scan.
                ssl.create_default_context(cafile=str(ca))
            except (ssl.SSLError, ValueError) as exc:
                raise ScanInputError(f"CA file {str(ca)!r} holds no usable PEM certificate ({exc})") from None
        if not _is_int(concurrency) or not 1 <= concurrency <= 1000:
            raise ScanInputError("concurrency must be a whole number between 1 and 1000")
        t = Timeouts()
        if timeout is not None:
            if not _is_number(timeout) or not 0 < timeout <= 600:
                raise ScanInputError("timeout must be between 0 and 600 seconds")
            t = Timeouts(dns=min(t.dns, timeout), connect=min(t.connect, timeout), operation=timeout,
                         total=max(t.total, timeout * 6))
        if total_timeout is not None:
            if not _is_number(total_timeout) or not 0 < total_timeout <= 3600:
                raise ScanInputError("total timeout must be between 0 and 3600 seconds")
            t = Timeouts(t.dns, t.connect, min(t.operation, total_timeout), total_timeout)
        area_set = _parse_areas(areas)
        if depth is None:
            depth = Depth.DEEP if len(normalized) == 1 else Depth.SWEEP
        try:
            depth = Depth(depth)
        except ValueError:
            raise ScanInputError(f"depth must be 'deep' or 'sweep', not {depth!r}") from None
        selectors = tuple(_selector(s) for s in dkim_selectors)
        return cls(
            domains=tuple(normalized), nameservers=ns, ca_file=ca, timeouts=t, concurrency=concurrency,
            areas=area_set, allow_loopback=allow_loopback, depth=depth, dkim_selectors=selectors,
        )


def _parse_areas(areas: str | list[str] | None) -> frozenset[Area]:
    if areas is None:
        return frozenset(Area)
    if isinstance(areas, str):
        items = areas.split(",")
    elif isinstance(areas, list | tuple | set | frozenset) and all(isinstance(i, str) for i in areas):
        items = list(areas)
    else:
        raise ScanInputError("areas must be a comma-separated string or a list of area names")
    result = set()
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        try:
            result.add(Area(item))
        except ValueError:
            valid = ", ".join(a.value for a in Area)
            raise ScanInputError(f"unknown area {item!r}; choose from {valid}") from None
    if not result:
        raise ScanInputError("no area selected")
    return frozenset(result)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _selector(s: str) -> str:
    s = s.strip().lower()
    try:
        normalize_domain(f"{s}.example.com")
    except ScanInputError:
        raise ScanInputError(f"invalid DKIM selector {s!r}") from None
    return s


def _system_nameservers() -> list[str]:
    """Nameservers from /etc/resolv.conf, for use outside the lab."""
    servers: list[str] = []
    try:
        with open("/etc/resolv.conf", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    servers.append(parts[1].split("%")[0])
    except OSError:
        pass
    if not servers:
        raise ScanInputError("no nameserver configured; give one with --nameserver HOST:PORT")
    return servers
