"""What the platform benchmarks share: a PostgreSQL database of their own, Django set up against it, child
processes (gunicorn, Celery workers) and CPU readings from /proc.

Everything talks to loopback only: PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres), Redis on
127.0.0.1:6379. The benchmark process and its children share one environment (``platform_env``), so a
session the benchmark writes is one the web server accepts.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import secrets
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Redis database numbers for benchmarks (the integration tests lock 10-15 the same way).
BENCH_REDIS_DATABASES = range(6, 10)
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Variables of the caller's shell that must not reach the platform's processes (they get ours).
_OURS = ("SMECYBER_", "DATABASE_URL", "CELERY_", "DJANGO_SETTINGS_MODULE")

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.redis_lock: the integration tests' Redis database lock

from tests.redis_lock import locked_redis_database  # noqa: E402  (after the path above)


def database_url(name: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _admin() -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with _admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(name: str, *, fresh: bool) -> bool:
    """Create ``name`` (dropped first when ``fresh``); True when it was created now."""
    with _admin() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return not exists


def platform_env(db_name: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of the benchmark's Django and of every platform process it starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env.update({
        "DJANGO_SETTINGS_MODULE": "smecyber.web.settings",
        "DATABASE_URL": database_url(db_name),
        "SMECYBER_DATA_DIR": str(data_dir),
        "SMECYBER_SECRET_KEY": key_file.read_text().strip(),
        "SMECYBER_DEBUG": "false",
        "SMECYBER_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        **extra,
    })
    return env


def setup_django(env: dict[str, str], *, migrate: bool = True) -> None:
    """Django in this process, configured exactly as the children will be."""
    os.environ.update(env)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """redis://127.0.0.1:6379/N, N locked for this run (flock) and emptied before and after."""
    with locked_redis_database(REDIS_HOST, REDIS_PORT, BENCH_REDIS_DATABASES) as url:
        if url is None:
            raise SystemExit(f"every Redis database {BENCH_REDIS_DATABASES.start}-{BENCH_REDIS_DATABASES.stop - 1} "
                             "is in use by another benchmark")
        yield url


# --- CPU readings -----------------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # after "(comm)": state ppid pgrp ... utime(12) stime(13)


def _all_stats() -> dict[int, list[str]]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                out[int(entry.name)] = fields
    return out


def descendants(pid: int) -> set[int]:
    """``pid`` and every process below it (children, grandchildren, ...), alive now."""
    stats = _all_stats()
    children: dict[int, list[int]] = {}
    for p, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(p)
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        if p in found or p not in stats:
            continue
        found.add(p)
        todo.extend(children.get(p, []))
    return found


def pids_named(*names: str) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    found.add(int(entry.name))
    return found


def postgres_pids(db_name: str) -> set[int]:
    """PostgreSQL's shared processes (postmaster, writers) and the backends connected to ``db_name`` only
    (other databases' backends serve someone else)."""
    found = set()
    for pid in pids_named("postgres"):
        with contextlib.suppress(OSError):
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if f" {db_name} " in title or not re.search(r"\(\d+\)|\[local\]", title):
                found.add(pid)
    return found


def cpu_of(pids: Iterable[int]) -> float:
    """User + system CPU seconds of ``pids`` (their own plus their waited-for children's)."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / CLK_TCK


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat), all cores together."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


class CpuMeter:
    """CPU used by named groups of processes between ``start()`` and ``stop()``; groups are re-read at stop,
    so a process that appeared meanwhile (a worker's pool child) counts from zero."""

    def __init__(self, groups: dict[str, Callable[[], Iterable[int]]]) -> None:
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}
        self.used: dict[str, float] = {}
        self.machine: tuple[float, float] = (0.0, 0.0)
        self.wall = 0.0

    def _read(self) -> dict[str, dict[int, float]]:
        return {name: {pid: cpu_of([pid]) for pid in find()} for name, find in self.groups.items()}

    def start(self) -> None:
        self.before = self._read()
        self._machine0 = machine_busy()
        self._wall0 = time.perf_counter()

    def stop(self) -> None:
        after = self._read()
        for name, pids in after.items():
            self.used[name] = sum(cpu - self.before.get(name, {}).get(pid, 0.0) for pid, cpu in pids.items())
        m1 = machine_busy()
        self.machine = (m1[0] - self._machine0[0], m1[1] - self._machine0[1])
        self.wall = time.perf_counter() - self._wall0

    def summary(self) -> str:
        busy, total = self.machine
        parts = [f"{name} {sec:.1f} s" for name, sec in self.used.items()]
        others = max(0.0, busy - sum(self.used.values()))
        return (f"CPU seconds over {self.wall:.1f} s wall: " + ", ".join(parts)
                + f", other processes on the machine {others:.1f} s; whole machine busy {busy:.1f} of {total:.1f}"
                f" core-seconds ({100 * busy / total:.0f} %)")


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]
