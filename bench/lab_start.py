"""Benchmark: how long the lab takes to start and stop. Run: `.venv/bin/python bench/lab_start.py [--runs N]`."""

from __future__ import annotations

import argparse
import statistics
import time

from smecyber.lab.lab import Lab


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sweep-names", type=int, default=0)
    args = ap.parse_args()
    starts, stops = [], []
    phases: dict[str, float] = {}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        lab = Lab(base=35, sweep_names=args.sweep_names).start()
        starts.append(time.perf_counter() - t0)
        phases = dict(lab.timings.phases)
        t1 = time.perf_counter()
        lab.stop()
        stops.append(time.perf_counter() - t1)
    print(f"lab with {len(lab.domains)} domains and {args.sweep_names} sweep names, {args.runs} runs")
    print(f"  start: median {statistics.median(starts):.2f} s (min {min(starts):.2f}, max {max(starts):.2f})")
    print(f"  stop:  median {statistics.median(stops):.2f} s")
    print("  last start by phase: " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items() if k != "stop"))


if __name__ == "__main__":
    main()
