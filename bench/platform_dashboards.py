"""Benchmark: the SME dashboard and the coordinator's programme dashboard under 20 concurrent clients.

A PostgreSQL database of its own (default smecyber_bench; made and loaded once, reused afterwards — see
_platform_data.py: 1,000 SMEs, 5,000 domains, ~7,000 scans, 100,000 findings), the app under gunicorn on
127.0.0.1:<free port>, and N client threads, each logged in through a session cookie written directly
into the session store. Each client sends its next request as soon as the previous one is answered
(closed loop), or after a pause (``--think-ms``). Prints p50/p95/p99 latency, requests per second, errors
and the CPU each party used, then where the time of one request of each page goes (SQL vs Python, the
slowest queries) and what computing the programme aggregates afresh (a cache miss) costs.

Target (issue 3): p95 < 150 ms for both pages.
Run: `.venv/bin/python bench/platform_dashboards.py [--clients 20] [--requests 1000] [--workers 4]
[--think-ms 0] [--fresh]`.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform_data as data
from _platform import (
    CpuMeter,
    create_database,
    descendants,
    free_port,
    percentile,
    platform_env,
    postgres_pids,
    setup_django,
)

TARGET_P95_MS = 150.0


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def make_session(user: object) -> str:
    """A logged-in session for ``user``, as django.contrib.auth.login would write it; the cookie value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return str(session.session_key)


def drive(base_url: str, jobs: list[tuple[str, str]], clients: int, cookie_name: str, think_s: float = 0.0) -> Run:
    """Send ``jobs`` ((path, session cookie) pairs) with ``clients`` threads, each one request at a time and
    ``think_s`` (on average; 0.5-1.5 times it, so clients do not march in step) between two requests."""
    import httpx

    todo: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    run = Run()
    lock = threading.Lock()

    def client(seed: int) -> None:
        pause = random.Random(seed)
        with httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False) as http:
            while True:
                if think_s:
                    time.sleep(think_s * pause.uniform(0.5, 1.5))
                try:
                    path, cookie = todo.get_nowait()
                except queue.Empty:
                    return
                t0 = time.perf_counter()
                try:
                    response = http.get(path, cookies={cookie_name: cookie})
                    body = response.content
                    elapsed = time.perf_counter() - t0
                except httpx.HTTPError as exc:
                    with lock:
                        run.error(type(exc).__name__)
                    continue
                with lock:
                    if response.status_code == 200 and b"<h1" in body:
                        run.latencies.append(elapsed)
                    else:
                        run.error(f"HTTP {response.status_code}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.wall = time.perf_counter() - t0
    return run


def report(title: str, run: Run, meter: CpuMeter) -> float:
    ms = [x * 1000 for x in run.latencies] or [float("nan")]
    total = len(ms) + sum(run.errors.values())
    p95 = percentile(ms, 95)
    print(f"{title}: {total} requests")
    print(f"  latency ms: p50 {percentile(ms, 50):.0f}  p95 {p95:.0f}  p99 {percentile(ms, 99):.0f}  "
          f"max {max(ms):.0f}  mean {statistics.fmean(ms):.0f}")
    print(f"  throughput: {total / run.wall:.1f} requests/s over {run.wall:.1f} s")
    print(f"  errors: {sum(run.errors.values())} {run.errors or ''}")
    print(f"  {meter.summary()}")
    cpu_web = meter.used.get("gunicorn", 0.0) + meter.used.get("postgres", 0.0)
    print(f"  server CPU per request (gunicorn + postgres): {1000 * cpu_web / max(total, 1):.1f} ms")
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms —", "met" if p95 < TARGET_P95_MS else "NOT met")
    return p95


def profile(title: str, path: str, user: object, explain: int) -> None:
    """One request in this process: wall, SQL time and count, the slowest queries (EXPLAIN ANALYZE)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]
    client.get(path)  # warm: imports, catalog, templates
    walls = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(path)
            walls.append(time.perf_counter() - t0)
    if response.status_code != 200:
        raise SystemExit(f"{title}: HTTP {response.status_code}")
    queries = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    sql_s = sum(t for t, _ in queries)
    wall = statistics.median(walls)
    print(f"{title}, one request at a time in this process (median of 5): {1000 * wall:.0f} ms, "
          f"{len(queries)} queries taking {1000 * sql_s:.0f} ms (last run), the rest Python "
          f"(view, template, middleware) ≈ {1000 * (walls[-1] - sql_s):.0f} ms")
    for t, sql in sorted(queries, reverse=True)[:explain]:
        print(f"  {1000 * t:6.1f} ms  {sql[:300]}{' …' if len(sql) > 300 else ''}")
        if t > 0.005 and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) " + sql)
                plan = [r[0] for r in cursor.fetchall()]
            for line in plan[:25]:
                print(f"      {line}")


def profile_aggregates(programme: object, explain: int) -> None:
    """What a cache miss costs: ``programme_aggregates`` computed afresh (after a scan finishes, say)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from smecyber.reports.aggregates import programme_aggregates

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    programme_aggregates(programme)
    walls = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            programme_aggregates(programme)
            walls.append(time.perf_counter() - t0)
    queries = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    print(f"programme aggregates computed afresh (a cache miss; PostgreSQL jit={jit}), median of 3: "
          f"{1000 * statistics.median(walls):.0f} ms; queries (last run): "
          + ", ".join(f"{1000 * t:.0f}" for t, _ in queries) + " ms")
    for t, sql in sorted(queries, reverse=True)[:explain]:
        print(f"  {1000 * t:6.1f} ms  {sql[:200]} …")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="smecyber_bench")
    ap.add_argument("--fresh", action="store_true", help="drop and reload the database")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1000, help="measured requests per page")
    ap.add_argument("--warmup", type=int, default=100, help="requests per page before measuring")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread)")
    ap.add_argument("--think-ms", type=int, default=0,
                    help="average pause of each client between two requests (0: closed loop, as fast as answered)")
    ap.add_argument("--owners", type=int, default=200, help="distinct SME owners the SME clients log in as")
    ap.add_argument("--explain", type=int, default=3, help="slowest queries to show per page (0: no profile)")
    args = ap.parse_args()

    data_dir = Path(f"/tmp/smecyber-bench-{args.db}")
    created = create_database(args.db, fresh=args.fresh)
    env = platform_env(args.db, data_dir)
    setup_django(env)
    if not data.data_present():
        if not created:
            raise SystemExit(f"database {args.db} holds other data: run with --fresh to reload it")
        t0 = time.perf_counter()
        counts = data.load()
        print(f"loaded {counts} in {time.perf_counter() - t0:.0f} s")
    else:
        print(f"reusing the data in database {args.db}")
    if not (data_dir / "static" / "staticfiles.json").exists():  # the manifest the pages' {% static %} reads
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)

    from django.conf import settings
    from django.db import connections

    from smecyber.accounts.models import Membership, Programme, User
    from smecyber.platform_run import Child, wait_for_port

    programme = Programme.objects.get(name=data.PROGRAMME_NAME)
    coordinator = User.objects.get(email=data.COORDINATOR_EMAIL)
    everyone = list(Membership.objects.filter(company__programme=programme, role=Membership.Role.OWNER)
                    .select_related("user").order_by("company__name"))
    owners = random.Random(7).sample(everyone, min(args.owners, len(everyone)))  # the same SMEs every run
    sme_jobs = [(f"/c/{m.company_id}/", make_session(m.user)) for m in owners]
    coordinator_cookie = make_session(coordinator)
    programme_path = f"/p/{programme.pk}/"
    connections.close_all()

    port = free_port()
    bind = f"127.0.0.1:{port}"
    argv = [sys.executable, "-m", "gunicorn", "smecyber.web.wsgi:application", "--bind", bind,
            "--workers", str(args.workers), "--timeout", "60", "--error-logfile", "-", "--log-level", "warning"]
    if args.threads > 1:
        argv += ["--worker-class", "gthread", "--threads", str(args.threads)]
    web = Child.start("web server", argv, env=env, log_path=data_dir / "gunicorn.log", cwd=data_dir)
    try:
        wait_for_port(bind, web)
        base = f"http://{bind}"
        kind = f"gthread × {args.threads} threads" if args.threads > 1 else "sync"
        loop = f"{args.think_ms} ms average pause between requests" if args.think_ms else "closed loop, no pause"
        print(f"gunicorn: {args.workers} {kind} workers on {bind}; {args.clients} concurrent clients, {loop}; "
              f"{os.cpu_count()} CPU cores shared by server, database, clients and whatever else runs")
        rng = random.Random(1)
        pages = {
            f"SME dashboard ({len(sme_jobs)} owners of different SMEs)":
                lambda n: [rng.choice(sme_jobs) for _ in range(n)],
            "programme dashboard (the coordinator, 1,000 SMEs)":
                lambda n: [(programme_path, coordinator_cookie)] * n,
        }
        p95s = {}
        for title, jobs in pages.items():
            drive(base, jobs(args.warmup), args.clients, settings.SESSION_COOKIE_NAME)
            meter = CpuMeter({"gunicorn": lambda: descendants(web.pid), "postgres": lambda: postgres_pids(args.db),
                              "clients (this process)": lambda: {os.getpid()}})
            meter.start()
            run = drive(base, jobs(args.requests), args.clients, settings.SESSION_COOKIE_NAME, args.think_ms / 1000)
            meter.stop()
            p95s[title] = report(title, run, meter)
    finally:
        web.stop()
    if args.explain:
        print()
        profile("SME dashboard", sme_jobs[0][0], owners[0].user, args.explain)
        profile("programme dashboard", programme_path, coordinator, args.explain)
        profile_aggregates(programme, args.explain)


if __name__ == "__main__":
    main()
