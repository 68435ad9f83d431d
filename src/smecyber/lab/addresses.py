"""The lab's address plan inside 127.<base>.0.0/16, and picking a free block.

Every lab domain gets its own loopback address, so its servers listen on the standard ports (53, 80, 443,
25) as the scanner expects. Linux routes all of 127.0.0.0/8 to the loopback interface, so no interface
setup is needed. Several labs (a person's demo, several test runs) can run at once on different bases.
"""

from __future__ import annotations

import fcntl
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import IO

DEFAULT_BASE = 53  # `smecyber lab` for a person
TEST_BASES = range(100, 200)  # tests pick the first free one
LOCK_DIR = Path("/tmp/smecyber-lab-locks")


@dataclass(frozen=True, slots=True)
class AddressPlan:
    base: int

    def __post_init__(self) -> None:
        if not 1 <= self.base <= 254:
            raise ValueError("lab base must be between 1 and 254")

    @property
    def ns1(self) -> str:
        return f"127.{self.base}.0.1"

    @property
    def ns2(self) -> str:
        return f"127.{self.base}.0.2"

    @property
    def resolver(self) -> str:
        return f"127.{self.base}.0.53"

    def domain_address(self, index: int) -> str:
        """Address of the ``index``-th domain (sorted by name)."""
        if index >= 250 * 100:
            raise ValueError("too many lab domains")
        return f"127.{self.base}.{1 + index // 250}.{1 + index % 250}"

    def flood_address(self, i: int) -> str:
        """Distinct addresses for generated records (nothing listens there)."""
        return f"127.{self.base}.{200 + i // 256}.{i % 256}"


def _ports_free(plan: AddressPlan) -> bool:
    for host in (plan.ns1, plan.ns2, plan.resolver):
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            # as knot and unbound do: connections of a previous lab lingering in TIME_WAIT must not count
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, 53))
            except OSError:
                return False
            finally:
                s.close()
    return True


class BaseLock:
    """An flock held while a lab runs on a base, so two labs never share addresses."""

    def __init__(self, base: int, handle: IO[str]) -> None:
        self.base = base
        self._handle: IO[str] | None = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def try_lock(base: int) -> BaseLock | None:
    LOCK_DIR.mkdir(mode=0o1777, parents=True, exist_ok=True)
    handle = open(LOCK_DIR / f"base-{base}.lock", "a", encoding="utf-8")  # noqa: SIM115 (kept open while locked)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    if not _ports_free(AddressPlan(base)):
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        return None
    return BaseLock(base, handle)


def acquire_base(base: int | None) -> BaseLock:
    """Lock ``base``, or the first free base in :data:`TEST_BASES` when ``base`` is None."""
    if base is not None:
        lock = try_lock(base)
        if lock is None:
            raise RuntimeError(f"lab base {base} (127.{base}.0.0/16) is in use by another lab or program")
        return lock
    for candidate in TEST_BASES:
        lock = try_lock(candidate)
        if lock is not None:
            return lock
    raise RuntimeError(f"no free lab base in {TEST_BASES.start}-{TEST_BASES.stop - 1}")
