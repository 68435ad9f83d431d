"""Real Celery workers for the integration tests: OS processes in their own process group, with a log file,
started with the same command line as `smecyber run` uses, and waited for with bounded timeouts."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from smecyber.platform_run import Child, group_members, platform_queues, worker_argv

READY_TIMEOUT = 60.0
T = TypeVar("T")

# Variables of the test run that must not reach a worker (it reads its own DATABASE_URL, broker, ...).
_TEST_ONLY = ("SMECYBER_TEST_", "DATABASE_URL", "CELERY_", "DJANGO_SETTINGS_MODULE", "PYTEST_")


class WorkerError(AssertionError):
    pass


class Worker:
    """One `celery worker` (prefork, concurrency 2) with a log file; stop() or kill() its whole group."""

    def __init__(self, env: dict[str, str], log_dir: Path, *, beat: bool = False) -> None:
        self.name = f"it-{uuid.uuid4().hex[:8]}"
        self.log_path = log_dir / f"{self.name}.log"
        argv = worker_argv(beat=beat, queues=platform_queues(), hostname=f"{self.name}@%h")
        self.child = Child.start(self.name, argv, env=env, log_path=self.log_path, cwd=log_dir)

    @property
    def pgid(self) -> int:
        return self.child.pid

    def log(self, lines: int = 80) -> str:
        return self.child.tail(lines)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        wait_until(lambda: "ready." in self.log(400), timeout, f"worker {self.name} to start", self)

    def kill(self) -> None:
        """kill -9 the worker's process group (main process and pool processes), as a crash would."""
        self.child.signal_group(signal.SIGKILL)
        wait_until(lambda: not group_members(self.pgid), 10, f"worker {self.name} to die", self)
        self.child.stop()  # reap the leader, close the log

    def stop(self) -> None:
        self.child.stop(signal.SIGQUIT, grace=10)


def worker_env(base: dict[str, str], **settings: str) -> dict[str, str]:
    env = {k: v for k, v in base.items() if not k.startswith(_TEST_ONLY)}
    return {**env, "DJANGO_SETTINGS_MODULE": "smecyber.web.settings", "SMECYBER_LOG_LEVEL": "INFO", **settings}


def wait_until(condition: Callable[[], T], timeout: float, what: str, *workers: Worker,
               interval: float = 0.25) -> T:
    """``condition()``'s first truthy value; fails after ``timeout`` s with the workers' logs."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- log of {w.name} ---\n{w.log()}" for w in workers)
            raise WorkerError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")
        time.sleep(interval)


def processes_with_env(marker: str) -> list[int]:
    """Pids whose environment contains ``marker`` (to find any process a command left behind)."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found
