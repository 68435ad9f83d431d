"""Benchmark: sweep of many domain names pointing at the lab's servers, 20 ms added latency per connection.

Prints domains per minute, scanner CPU seconds per domain, domains per scanner CPU-minute, TLS handshakes per
endpoint and peak memory. Targets (issue 2): >= 400 domains per scanner CPU-minute, peak memory < 500 MB.
Run: `.venv/bin/python bench/sweep.py [--names 1000] [--concurrency 50] [--latency-ms 20]`.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labproc import cpu_seconds, lab_process
from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--names", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--latency-ms", type=int, default=20)
    args = ap.parse_args()
    with lab_process(base=32, sweep_names=args.names, latency_ms=args.latency_ms) as lab:
        names = lab["sweep_domains"][: args.names]
        if len(names) < args.names:
            raise SystemExit(f"the lab made only {len(names)} sweep names")
        config = ScanConfig.build(names, nameservers=[lab["nameserver"]], ca_file=lab["ca_file"],
                                  allow_loopback=True, depth="sweep", concurrency=args.concurrency)
        c0, w0 = cpu_seconds(), time.perf_counter()
        results, counters = asyncio.run(scan(config))
        wall = time.perf_counter() - w0
        cpu = cpu_seconds() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    handshakes = {k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("tls_handshakes:")}
    statuses = Counter(str(f.status) for r in results for f in r.findings)
    errors = Counter(f.key for r in results for f in r.findings if f.status == "error")
    print(f"sweep of {len(names)} names, concurrency {args.concurrency}, {args.latency_ms} ms latency per connection")
    print(f"  wall: {wall:.1f} s  -> {len(names) / wall * 60:.0f} domains per minute")
    print(f"  scanner CPU: {cpu:.1f} s  -> {cpu / len(names) * 1000:.1f} ms per domain, "
          f"{len(names) / (cpu / 60):.0f} domains per scanner CPU-minute (target >= 400)")
    print(f"  peak memory (scanner RSS): {peak_mb:.0f} MB (target < 500)")
    if handshakes:
        vals = list(handshakes.values())
        print(f"  TLS handshakes: {sum(vals)} over {len(vals)} endpoints; per endpoint median "
              f"{statistics.median(vals):.0f}, max {max(vals)}; per domain {sum(vals) / len(names):.2f}")
    print(f"  DNS queries: {counters.get('dns_queries', 0)}  HTTP requests: {counters.get('http_requests', 0)}")
    print(f"  findings by status: {dict(statuses)}")
    if errors:
        print(f"  error findings: {dict(errors.most_common(5))}")


if __name__ == "__main__":
    main()
