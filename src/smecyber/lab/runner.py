"""`smecyber lab`: start the lab for a person, print what to try, wait for Ctrl-C."""

from __future__ import annotations

import signal
import sys
import threading
from typing import TextIO

from .addresses import DEFAULT_BASE
from .lab import Lab


def describe(lab: Lab, out: TextIO) -> None:
    width = max(len(s.domain) for s in lab.domains)
    out.write(f"smecyber lab: {len(lab.domains)} domains on 127.{lab.plan.base if lab.plan else '?'}.0.0/16 "
              f"(started in {lab.timings.phases.get('total', 0):.1f} s)\n\n")
    for s in lab.domains:
        mark = " [hostile]" if s.hostile else ""
        out.write(f"  {s.domain:<{width}}  {lab.address_of(s.domain):<15}  {s.purpose}{mark}\n")
    if lab.sweep_names:
        out.write(f"\n  {len(lab.sweep_names)} sweep names: {lab.sweep_names[0]} ... {lab.sweep_names[-1]}\n")
    out.write(f"\nresolver (validating): {lab.nameserver}    lab CA: {lab.ca_file}\n")
    out.write("\ntry:\n")
    out.write(f"  {lab.scan_command('good.test')}\n")
    out.write(f"  {lab.scan_command('bogus.test')}\n")
    out.write(f"  dig @{lab.nameserver.rsplit(':', 1)[0]} +dnssec good.test A\n")
    out.write("\nCtrl-C stops the lab.\n")
    out.flush()


def run_forever(base: int = DEFAULT_BASE, *, sweep_names: int = 0, latency_ms: int = 0,
                out: TextIO = sys.stdout) -> int:
    """Start the lab on 127.<base>.0.0/16, print the domains and the scan command, block until Ctrl-C."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with Lab(base=base, sweep_names=sweep_names, latency_ms=latency_ms) as lab:
            describe(lab, out)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            out.write("stopping the lab\n")
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    raise SystemExit(run_forever(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BASE))
