"""Integration tests: real services (PostgreSQL, Redis), real Celery worker processes, the real lab.

`make test` runs them on their own: `SMECYBER_TEST_DATABASE_URL=postgresql://... pytest -m integration
tests/integration`. pytest-django creates the PostgreSQL test database; the workers get its name, so they
see the rows a test commits (tests use ``transactional_db``). Each run takes its own Redis database number
(an flock per number), so parallel runs do not take each other's tasks. SMECYBER_TEST_REDIS=HOST:PORT
points them at another Redis (default 127.0.0.1:6379).

A service that is not there: a failure when CI=true, a skip with the reason otherwise.
"""

from __future__ import annotations

import contextlib
import os
import socket
import urllib.parse
from collections.abc import Callable, Iterator

import pytest

from tests.integration.workers import Worker, worker_env
from tests.redis_lock import locked_redis_database

REDIS_HOST, _, _redis_port = os.environ.get("SMECYBER_TEST_REDIS", "127.0.0.1:6379").rpartition(":")
REDIS_PORT = int(_redis_port)
REDIS_DATABASES = range(10, 16)  # numbers 10-15 are for the test runs of this machine


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: needs real services (PostgreSQL, Redis) and worker processes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def unavailable(reason: str) -> None:
    """A missing service: fail under CI (the services must be there), skip with the reason elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run starts the services)", pytrace=False)
    pytest.skip(f"{reason}; `.ci/run` or scripts/services.sh starts it")


def port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=2):
        return True
    return False


@pytest.fixture(scope="session")
def postgres_reachable() -> None:
    url = urllib.parse.urlsplit(os.environ.get("SMECYBER_TEST_DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        host, port = url.hostname or "127.0.0.1", url.port or 5432
        if not port_open(host, port):
            unavailable(f"PostgreSQL is not running at {host}:{port}")


@pytest.fixture(scope="session")
def django_db_setup(postgres_reachable: None, django_db_setup: None) -> None:
    """pytest-django's, after checking that PostgreSQL answers (else its traceback hides the reason)."""
    return django_db_setup


@pytest.fixture(scope="session")
def postgres_database(django_db_setup: None, django_db_blocker: object) -> str:
    """The URL of the test database pytest-django created on PostgreSQL (for the worker processes)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("these tests need PostgreSQL: set SMECYBER_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1"
                    ":5432/smecyber_test (make test does)")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def redis_broker_url() -> Iterator[str]:
    """redis://127.0.0.1:6379/N with N locked for this run and emptied; the test process sends there."""

    if not port_open(REDIS_HOST, REDIS_PORT):
        unavailable(f"Redis is not running at {REDIS_HOST}:{REDIS_PORT}")
    with locked_redis_database(REDIS_HOST, REDIS_PORT, REDIS_DATABASES) as url:
        if url is None:
            pytest.fail(f"all Redis databases {REDIS_DATABASES.start}-{REDIS_DATABASES.stop - 1} are in use by "
                        "other test runs", pytrace=False)
        with celery_sends_to(url):
            yield url


@contextlib.contextmanager
def celery_sends_to(broker_url: str) -> Iterator[None]:
    """Make this (test) process send tasks to ``broker_url`` instead of running them eagerly."""
    from smecyber.web.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(broker_url=broker_url, task_always_eager=False,
                    broker_transport_options={"visibility_timeout": 3600})
    app._after_fork()  # drop a connection pool made for another broker
    try:
        yield
    finally:
        app.conf.update(saved)
        app._after_fork()


@pytest.fixture
def start_worker(request: pytest.FixtureRequest, postgres_database: str, redis_broker_url: str,
                 lab: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Worker]]:
    """``start_worker(**env)``: a ready worker on the test database, the run's Redis and the session lab.
    Every worker started is stopped at the end; on failure its log is printed."""
    log_dir = tmp_path_factory.mktemp("workers")
    started: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        env = worker_env(
            dict(os.environ),
            SMECYBER_DATA_DIR=str(log_dir / "var"),
            DATABASE_URL=postgres_database,
            CELERY_BROKER_URL=redis_broker_url,
            SMECYBER_SCAN_NAMESERVERS=lab.nameserver,  # type: ignore[attr-defined]
            SMECYBER_SCAN_CA_FILE=str(lab.ca_file),  # type: ignore[attr-defined]
            SMECYBER_SCAN_ALLOW_LOOPBACK="true",
            SMECYBER_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            **extra_env,
        )
        worker = Worker(env, log_dir)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for worker in started:
            print(f"\n--- log of worker {worker.name} ---\n{worker.log(200)}")
