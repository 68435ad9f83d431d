"""Benchmark: a programme sweep of 1,000 lab names on 1, 2 and 4 Celery worker processes.

The lab serves the sweep names with 200 ms added to every accepted web and mail connection, so a domain's
scan is mostly waiting and the limit is the workers, not the 2 CPU cores. Each worker is a separate
`celery -A smecyber.web.celery worker --pool prefork --concurrency 1` process; a task (sweep_chunk) scans
SWEEP_CHUNK (16) domains at once, so one worker has 16 domains in flight. Broker: Redis (a database number
of its own); results: a fresh PostgreSQL database (smecyber_bench_sweep). The batch is submitted with
smecyber.scans.services.submit_batch, exactly as the batch page does, and timed until every entry is done
or failed. Each worker count sweeps its own 1,000 names (the lab makes names × runs + warm-up names), so no
run finds another's answers in the resolver's cache; a small warm-up batch first loads each worker's scanner.

Prints domains per minute, failed entries, the CPU each party used and how busy the workers were (their
tasks' run time from the worker logs over workers × wall), and the speed-up of 2 and 4 workers over 1.
Target (issue 3): 4 workers >= 3.5 × one worker.
Run: `.venv/bin/python bench/celery_sweep.py [--names 1000] [--latency-ms 200] [--workers 1,2,4] [--chunk 16]`.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import re
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labproc import lab_process
from _platform import (
    CpuMeter,
    create_database,
    descendants,
    pids_named,
    platform_env,
    postgres_pids,
    redis_database,
    setup_django,
)

TARGET_SPEEDUP_4 = 3.5
TASK_DONE = re.compile(r"Task smecyber\.scans\.tasks\.sweep_chunk\[[^\]]+\] succeeded in ([0-9.]+)s")
# "[2026-11-27 12:41:12,658: INFO/ForkPoolWorker-1] Task smecyber.scans.tasks.sweep_chunk[...] received|succeeded"
TASK_EVENT = re.compile(r"^\[([0-9-]+ [0-9:]+,[0-9]+): [^\]]+\] Task smecyber\.scans\.tasks\.sweep_chunk\[[^\]]+\] "
                        r"(received|succeeded)", re.MULTILINE)
READY_TIMEOUT = 60.0


@dataclass
class Result:
    workers: int
    names: int
    wall: float
    done: int
    failed: int
    errors: dict[str, int]
    task_seconds: list[float]
    gaps: list[float]
    meter: CpuMeter

    @property
    def per_minute(self) -> float:
        return self.names / self.wall * 60


def start_workers(count: int, env: dict[str, str], log_dir: Path, tag: str) -> list[object]:
    from smecyber.platform_run import Child, platform_queues, worker_argv

    workers = []
    for i in range(count):
        argv = worker_argv(beat=False, concurrency=1, queues=platform_queues(), hostname=f"bench{tag}-{i}@%h")
        workers.append(Child.start(f"worker {i}", argv, env=env, log_path=log_dir / f"worker-{tag}-{i}.log",
                                   cwd=log_dir))
    deadline = time.monotonic() + READY_TIMEOUT
    for w in workers:
        while "ready." not in w.tail(400):  # type: ignore[attr-defined]
            if time.monotonic() > deadline or not w.alive():  # type: ignore[attr-defined]
                raise SystemExit(f"a worker did not start:\n{w.tail()}")  # type: ignore[attr-defined]
            time.sleep(0.2)
    return workers


def sweep(programme: object, user: object, names: list[str], title: str, timeout: float) -> tuple[object, float]:
    """Submit ``names`` as one batch; (batch, seconds until its last entry finished)."""
    from smecyber.scans.models import BatchEntry, ScanStatus
    from smecyber.scans.services import submit_batch

    t0 = time.perf_counter()
    batch = submit_batch(programme, names, user=user, name=title)  # type: ignore[arg-type]
    waiting = BatchEntry.objects.filter(batch=batch, status__in=(ScanStatus.QUEUED, ScanStatus.RUNNING))
    while waiting.exists():
        if time.perf_counter() - t0 > timeout:
            raise SystemExit(f"{title}: {waiting.count()} entries still unfinished after {timeout:.0f} s")
        time.sleep(0.25)
    return batch, time.perf_counter() - t0


def task_seconds(logs: list[Path], offsets: dict[Path, int] | None = None) -> list[float]:
    """Run times of the sweep_chunk tasks the worker logs report after ``offsets`` (bytes into each log)."""
    out = []
    for log in logs:
        with log.open("rb") as f:
            f.seek((offsets or {}).get(log, 0))
            out += [float(m) for m in TASK_DONE.findall(f.read().decode(errors="replace"))]
    return out


def handoff_gaps(logs: list[Path], offsets: dict[Path, int]) -> list[float]:
    """Per worker, the seconds from one task's end to the next task's arrival: the broker's hand-off."""
    from datetime import datetime

    gaps = []
    for log in logs:
        with log.open("rb") as f:
            f.seek(offsets.get(log, 0))
            events = TASK_EVENT.findall(f.read().decode(errors="replace"))
        last_end = None
        for stamp, kind in events:
            when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
            if kind == "succeeded":
                last_end = when
            elif last_end is not None:
                gaps.append((when - last_end).total_seconds())
                last_end = None
    return gaps


def wait_for_tasks(logs: list[Path], offsets: dict[Path, int] | None, count: int) -> list[float]:
    """The run times of ``count`` tasks once all are logged (a task logs just after its last entry is stored)."""
    deadline = time.monotonic() + 15
    while len(found := task_seconds(logs, offsets)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def run(count: int, names: list[str], warmup: list[str], *, chunk: int, env: dict[str, str], log_dir: Path,
        lab_pid: int, db: str, programme: object, user: object) -> Result:
    from collections import Counter

    from smecyber.scans.models import BatchEntry, ScanStatus

    # INFO: the workers log "ready." and each task's run time ("succeeded in 4.2s"), which we read
    workers = start_workers(count, {**env, "SMECYBER_LOG_LEVEL": "INFO"}, log_dir, f"{count}w")
    try:
        sweep(programme, user, warmup, f"warm-up for {count} workers", 300)
        logs = [w.log_path for w in workers]  # type: ignore[attr-defined]
        wait_for_tasks(logs, None, math.ceil(len(warmup) / chunk))
        offsets = {log: log.stat().st_size for log in logs}
        meter = CpuMeter({
            "workers": lambda: set().union(*(descendants(w.pid) for w in workers)),  # type: ignore[attr-defined]
            "lab": lambda: descendants(lab_pid),
            "postgres": lambda: postgres_pids(db),
            "redis": lambda: pids_named("redis-server"),
            "bench (submit, poll)": lambda: {os.getpid()},
        })
        meter.start()
        batch, wall = sweep(programme, user, names, f"{count} workers", 1800)
        meter.stop()
        tasks = wait_for_tasks(logs, offsets, math.ceil(len(names) / chunk))
        gaps = handoff_gaps(logs, offsets)
    finally:
        for w in workers:
            w.stop(signal.SIGTERM, grace=15)  # type: ignore[attr-defined]
    entries = BatchEntry.objects.filter(batch=batch)
    failed = entries.filter(status=ScanStatus.FAILED).count()
    errors = Counter(e.split(" (")[0][:80] for e in entries.exclude(error="").values_list("error", flat=True))
    return Result(count, len(names), wall, entries.filter(status=ScanStatus.DONE).count(), failed, dict(errors),
                  tasks, gaps, meter)


def engine_baseline(names: list[str], chunk: int, lab: dict[str, object]) -> None:
    """The engine alone in this process, ``chunk`` names at a time as a worker's task runs them: its CPU per
    domain is the part of a worker's CPU that is scanning (the rest is Celery, Django and the database)."""
    import asyncio

    from _labproc import cpu_seconds
    from smecyber.checks.config import ScanConfig
    from smecyber.checks.engine import scan

    c0, w0 = cpu_seconds(), time.perf_counter()
    for i in range(0, len(names), chunk):
        config = ScanConfig.build(names[i:i + chunk], nameservers=[str(lab["nameserver"])],
                                  ca_file=str(lab["ca_file"]), allow_loopback=True, depth="sweep",
                                  concurrency=chunk)
        asyncio.run(scan(config))
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    print(f"engine alone, in this process, {len(names)} names {chunk} at a time: {wall / len(names) * chunk:.2f} s "
          f"per {chunk} names, CPU {1000 * cpu / len(names):.0f} ms per domain")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--names", type=int, default=1000, help="names swept per worker count")
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--workers", default="1,2,4", help="worker counts to run, comma-separated")
    ap.add_argument("--chunk", type=int, default=16, help="SWEEP_CHUNK: domains per task, scanned at once")
    ap.add_argument("--db", default="smecyber_bench_sweep")
    ap.add_argument("--baseline", type=int, default=160, help="names the engine alone scans first (0: none)")
    args = ap.parse_args()
    counts = [int(c) for c in args.workers.split(",")]
    warmup_size = max(counts) * args.chunk  # one chunk for each worker of the largest run
    data_dir = Path(f"/tmp/smecyber-bench-{args.db}")

    create_database(args.db, fresh=True)
    for old in data_dir.glob("worker-*.log"):
        old.unlink()
    total_names = args.names * len(counts) + warmup_size * len(counts) + args.baseline
    t0 = time.perf_counter()
    with lab_process(base=34, sweep_names=total_names, latency_ms=args.latency_ms) as lab, \
            redis_database() as broker:
        print(f"lab with {total_names} sweep names ({args.latency_ms} ms per web/mail connection) started in "
              f"{time.perf_counter() - t0:.1f} s; broker {broker}; database {args.db}")
        lab_pid = next(p.pid for p in mp.active_children())
        env = platform_env(args.db, data_dir, CELERY_BROKER_URL=broker, SMECYBER_SWEEP_CHUNK=str(args.chunk),
                           SMECYBER_SCAN_NAMESERVERS=lab["nameserver"], SMECYBER_SCAN_CA_FILE=lab["ca_file"],
                           SMECYBER_SCAN_ALLOW_LOOPBACK="true")
        setup_django(env)
        from django.db import connections

        from smecyber.accounts.models import Programme, SupportOrganisation, User

        org = SupportOrganisation.objects.create(name="Bench cluster", country="SE")
        programme = Programme.objects.create(organisation=org, name="Sweep bench programme")
        user = User.objects.create(email="coordinator@bench.test")
        connections.close_all()

        pool = iter(lab["sweep_domains"])
        if args.baseline:
            engine_baseline([next(pool) for _ in range(args.baseline)], args.chunk, lab)
        results = []
        for count in counts:
            names = [next(pool) for _ in range(args.names)]
            warmup = [next(pool) for _ in range(warmup_size)]
            result = run(count, names, warmup, chunk=args.chunk, env=env, log_dir=data_dir, lab_pid=lab_pid, db=args.db,
                         programme=programme, user=user)
            results.append(result)
            report(result, args.chunk)

    base = next((r for r in results if r.workers == 1), None)
    if base is not None:
        print("speed-up over 1 worker: " + ", ".join(
            f"{r.workers} workers {r.per_minute / base.per_minute:.2f}×" for r in results if r.workers != 1))
        four = next((r for r in results if r.workers == 4), None)
        if four is not None:
            ratio = four.per_minute / base.per_minute
            print(f"target: 4 workers >= {TARGET_SPEEDUP_4}× one worker —",
                  "met" if ratio >= TARGET_SPEEDUP_4 else "NOT met", f"({ratio:.2f}×)")


def report(r: Result, chunk: int) -> None:
    busy = sum(r.task_seconds) / (r.workers * r.wall) if r.task_seconds else float("nan")
    cpu = r.meter.used
    print(f"{r.workers} worker process(es) × 1 task × {chunk} domains at once: {r.names} names")
    print(f"  wall {r.wall:.1f} s -> {r.per_minute:.0f} domains per minute")
    print(f"  entries done {r.done}, failed {r.failed}; entries with an error: {sum(r.errors.values())} "
          f"{r.errors or ''}")
    if r.task_seconds:
        print(f"  sweep_chunk tasks: {len(r.task_seconds)}, run time median {statistics.median(r.task_seconds):.2f} s "
              f"(min {min(r.task_seconds):.2f}, max {max(r.task_seconds):.2f}); workers busy {100 * busy:.0f} % "
              f"of workers × wall")
    if r.gaps:
        print(f"  broker hand-off (a worker's task end -> its next task received): median "
              f"{1000 * statistics.median(r.gaps):.0f} ms, max {1000 * max(r.gaps):.0f} ms, "
              f"{sum(r.gaps):.1f} s in all")
    print(f"  {r.meter.summary()}")
    print(f"  worker CPU per domain {1000 * cpu['workers'] / r.names:.0f} ms, lab CPU per domain "
          f"{1000 * cpu['lab'] / r.names:.0f} ms")


if __name__ == "__main__":
    main()
