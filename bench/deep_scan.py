"""Benchmark: deep scan (web + mail + dns) of one lab domain. Prints wall and CPU seconds.

Target (issue 2): < 3 s wall. Run: `.venv/bin/python bench/deep_scan.py [DOMAIN] [--runs N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labproc import cpu_seconds, lab_process
from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("domain", nargs="?", default="good.test")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with lab_process(base=31) as lab:
        walls, cpus = [], []
        for _ in range(args.runs):
            config = ScanConfig.build([args.domain], nameservers=[lab["nameserver"]], ca_file=lab["ca_file"],
                                      allow_loopback=True, depth="deep")
            c0, w0 = cpu_seconds(), time.perf_counter()
            results, counters = asyncio.run(scan(config))
            walls.append(time.perf_counter() - w0)
            cpus.append(cpu_seconds() - c0)
            errors = [f.key for f in results[0].findings if f.status == "error"]
        print(f"deep scan of {args.domain} (web+mail+dns), {args.runs} runs, lab in a separate process")
        print(f"  wall seconds: median {statistics.median(walls):.2f}  min {min(walls):.2f}  max {max(walls):.2f}")
        print(f"  CPU seconds:  median {statistics.median(cpus):.2f}  min {min(cpus):.2f}  max {max(cpus):.2f}")
        print(f"  findings: {len(results[0].findings)}  error findings: {len(errors)} {errors[:5]}")
        print(f"  counters (last run): {counters}")
        print("  target: < 3 s wall —", "met" if statistics.median(walls) < 3 else "NOT met")


if __name__ == "__main__":
    main()
