"""Runs the lab in a child process so the scanner's CPU and memory figures are the scanner's alone."""

from __future__ import annotations

import multiprocessing as mp
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def _child(conn: Any, kwargs: dict[str, Any]) -> None:
    from smecyber.lab.runner import Lab

    with Lab(**kwargs) as lab:
        conn.send({
            "nameserver": lab.nameserver,
            "ca_file": str(lab.ca_file),
            "domains": sorted(d.domain for d in lab.domains),
            "sweep_domains": list(lab.sweep_names),
        })
        conn.recv()  # wait until the parent is done


@contextmanager
def lab_process(**kwargs: Any) -> Iterator[dict[str, Any]]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=_child, args=(child, kwargs), daemon=True)
    proc.start()
    if not parent.poll(120):
        proc.terminate()
        raise RuntimeError("the lab did not start within 120 s")
    info = parent.recv()
    try:
        yield info
    finally:
        parent.send("stop")
        proc.join(30)
        if proc.is_alive():
            proc.terminate()


def cpu_seconds() -> float:
    """User + system CPU of this process (the scanner; the lab runs in its child)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime
