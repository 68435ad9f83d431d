"""Benchmark: the hostile lab hosts end within the time budget with bounded memory.

Scans each hostile lab domain (one byte per second, a 10 MB header, a redirect loop, an SPF include loop, a
500-record DNS answer, a TLS reset mid-handshake) deep, one at a time, and prints wall seconds, the statuses
reached and the scanner's peak memory. Run: `.venv/bin/python bench/hostile.py [--timeout 10]`.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labproc import lab_process
from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan
from smecyber.lab.spec import load_domains


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=10.0, help="per-operation timeout (the CLI default)")
    args = ap.parse_args()
    hostile = [s.domain for s in load_domains() if s.hostile]
    with lab_process(base=36) as lab:
        print(f"hostile lab domains, deep scan each, operation timeout {args.timeout:g} s")
        for domain in hostile:
            config = ScanConfig.build([domain], nameservers=[lab["nameserver"]], ca_file=lab["ca_file"],
                                      allow_loopback=True, depth="deep", timeout=args.timeout)
            t0 = time.perf_counter()
            results, _ = asyncio.run(scan(config))
            wall = time.perf_counter() - t0
            r = results[0]
            bad = Counter(f"{f.check}:{f.status}" for f in r.findings if f.status in ("error", "fail"))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  {domain:<22} {wall:5.1f} s  peak RSS {peak:4.0f} MB  "
                  f"budget {config.timeouts.total:g} s  {dict(bad)}")


if __name__ == "__main__":
    main()
