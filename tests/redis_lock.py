"""One Redis database per run, for the integration tests and the benchmarks alike, so that runs going on at the
same time on this machine never share a broker (each run holds an flock on its database number)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

LOCK_DIR = Path("/tmp/smecyber-redis-db-locks")


@contextlib.contextmanager
def locked_redis_database(host: str, port: int, numbers: range) -> Iterator[str | None]:
    """``redis://host:port/N`` for the first N of ``numbers`` no other run holds, emptied before and after
    (a crashed earlier run may have left tasks behind); ``None`` when every one is taken."""
    import redis

    LOCK_DIR.mkdir(exist_ok=True)
    for number in numbers:
        handle = open(LOCK_DIR / f"db-{number}.lock", "w")  # noqa: SIM115  (held while in use)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        url = f"redis://{host}:{port}/{number}"
        redis.Redis.from_url(url).flushdb()
        try:
            yield url
        finally:
            redis.Redis.from_url(url).flushdb()
            handle.close()
        return
    yield None
