"""The checks engine in a thread of its own, so the calling (worker) thread stays free to renew leases.

The engine is asyncio; it gets its own event loop in this thread (``asyncio.run``) and never touches the
database. The calling thread watches it: every ``interval`` seconds it may renew a lease and publish
progress, and it can cancel the scan (lease lost, deadline passed) from outside.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import Callable

from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan
from smecyber.checks.model import DomainResult

PROGRESS_INTERVAL = 1.0  # seconds between lease renewals / progress writes
# Beyond the engine's own per-domain budget: time for set-up and tear-down before the watcher gives up.
DEADLINE_MARGIN = 60.0


class EngineThread(threading.Thread):
    def __init__(self, config: ScanConfig) -> None:
        super().__init__(name="smecyber-engine", daemon=True)
        self.config = config
        self.checks_done = 0  # written by the engine thread only; an int read is atomic
        self.finished: queue.SimpleQueue[DomainResult] = queue.SimpleQueue()  # each domain as it completes
        self.results: list[DomainResult] | None = None
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[list[DomainResult]] | None = None
        self._cancel = threading.Event()

    def run(self) -> None:
        try:
            self.results = asyncio.run(self._main())
        except BaseException as exc:  # reported to the watcher; a thread must not die silently
            self.error = exc

    async def _main(self) -> list[DomainResult]:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()  # type: ignore[assignment]
        if self._cancel.is_set():
            raise asyncio.CancelledError
        results, _counters = await scan(self.config, self.finished.put, check_progress=self._tick)
        return results

    def _tick(self, _domain: str, _check: str) -> None:
        self.checks_done += 1

    def cancel(self) -> None:
        self._cancel.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed: nothing left to cancel
                loop.call_soon_threadsafe(task.cancel)


def run_watched(engine: EngineThread, on_tick: Callable[[], bool], *,
                interval: float = PROGRESS_INTERVAL) -> str:
    """Start ``engine`` and call ``on_tick`` every ``interval`` s until it ends.

    ``on_tick`` returns False when the work is no longer ours (lease lost, scan deleted): the engine is
    cancelled. Returns "done", "lost" or "timeout".
    """
    deadline = time.monotonic() + engine.config.timeouts.total + DEADLINE_MARGIN
    engine.start()
    while True:
        engine.join(timeout=interval)
        if not engine.is_alive():
            return "done"
        if not on_tick():
            engine.cancel()
            engine.join(timeout=10)
            return "lost"
        if time.monotonic() > deadline:
            engine.cancel()
            engine.join(timeout=10)
            return "timeout"
