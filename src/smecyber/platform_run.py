"""`smecyber run` (the README's `make run`): the whole platform on one machine, no services to install.

It prepares the data directory (SQLite database, static files, translations, demo data), starts the lab
(so the demo SMEs' domains exist), a Celery worker with embedded beat on kombu's filesystem broker, and
gunicorn; queues a first scan of every demo domain, prints where to go and what to type, reports the scans
as they finish, and on Ctrl-C (or SIGTERM) stops the web server, the worker and the lab, leaving no process.

Children run in their own sessions, so Ctrl-C reaches only this process and the stop order is ours; each
also gets SIGTERM from the kernel if this process dies without cleaning up (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from .process_guard import die_with_parent

DEFAULT_BIND = "127.0.0.1:8000"
WORKER_CONCURRENCY = 2
FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
WEB_START_TIMEOUT = 60.0
STOP_GRACE = 8.0  # seconds a child gets to exit before its whole process group is killed


class PlatformError(Exception):
    """Something `smecyber run` cannot get past; the message says what to do."""


# --- child processes ------------------------------------------------------------------------------------


@dataclass
class Child:
    """A child process in its own session (process group = its pid), logging to a file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, name: str, argv: list[str], *, env: dict[str, str], log_path: Path,
              cwd: Path | None = None) -> Child:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "ab")  # noqa: SIM115  (closed in stop())
        popen = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=die_with_parent)
        return cls(name, popen, log_path, log)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def stop(self, first: int = signal.SIGTERM, grace: float = STOP_GRACE) -> int | None:
        """Send ``first`` to the process group, wait ``grace`` s, then SIGKILL whatever is left of the group."""
        if self.alive():
            self.signal_group(first)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        # the leader may be gone while its children (pool processes, gunicorn workers) are not
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.popen.returncode

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def group_members(pgid: int) -> list[int]:
    """Pids still in process group ``pgid`` (Linux /proc), for the no-orphans check."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


# --- commands the children run --------------------------------------------------------------------------


def platform_queues() -> list[str]:
    """Every queue a platform task is routed to (the default queue and CELERY_TASK_ROUTES' queues)."""
    from smecyber.web.celery import app

    queues = [app.conf.task_default_queue or "celery"]
    routes = app.conf.task_routes or {}
    if isinstance(routes, dict):
        for route in routes.values():
            queue = route.get("queue") if isinstance(route, dict) else None
            if isinstance(queue, str) and queue not in queues:
                queues.append(queue)
    return queues


def worker_argv(*, beat: bool, concurrency: int = WORKER_CONCURRENCY, queues: list[str] | None = None,
                hostname: str = "embedded@%h", extra: list[str] | None = None) -> list[str]:
    argv = [sys.executable, "-m", "celery", "-A", "smecyber.web.celery", "worker", "--pool", "prefork",
            "--concurrency", str(concurrency), "--loglevel", "INFO", "--hostname", hostname,
            "--without-gossip", "--without-mingle"]
    if beat:
        argv.append("--beat")
    if queues:
        argv += ["--queues", ",".join(queues)]
    return argv + list(extra or [])


def web_argv(bind: str, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "smecyber.web.wsgi:application", "--bind", bind,
            "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5",
            "--access-logfile", "-", "--error-logfile", "-"]


def wait_for_port(bind: str, child: Child, timeout: float = WEB_START_TIMEOUT) -> None:
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            raise PlatformError(f"the {child.name} exited (code {child.popen.returncode}):\n{child.tail()}")
        with contextlib.suppress(OSError), socket.create_connection((host, int(port)), timeout=1):
            return
        time.sleep(0.2)
    raise PlatformError(f"the {child.name} did not answer on {bind} within {timeout:.0f} s:\n{child.tail()}")


# --- preparing the data directory -----------------------------------------------------------------------


def site_url_for(bind: str) -> str:
    host, _, port = bind.rpartition(":")
    if host in ("0.0.0.0", "", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


@contextlib.contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """One `smecyber run` per data directory: two would run two schedulers on one database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "run.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PlatformError(f"another `smecyber run` uses {data_dir}; stop it first") from None
        yield


def prepare_django(out: TextIO) -> None:
    """Migrate, collect static files, compile translations (when gettext is installed)."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # kombu warns on every connection that "filesystem://" names no host; nothing to act on in this terminal
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    locale_dirs = [Path(p) for p in settings.LOCALE_PATHS]
    if any(d.is_dir() and any(d.rglob("*.po")) for d in locale_dirs):
        if shutil.which("msgfmt"):
            # compilemessages walks the working directory: start it in the package, not the project root,
            # or it would compile every .po file of every installed package in .venv.
            previous = Path.cwd()
            os.chdir(settings.PACKAGE_DIR)
            try:
                call_command("compilemessages", verbosity=0)
            finally:
                os.chdir(previous)
        else:
            out.write("  translations: gettext's msgfmt is missing (apt-get install gettext); pages stay English\n")
    prepare_broker_folders()
    out.write(f"  database: {settings.DATABASES['default']['NAME']} (migrated)\n")


def prepare_broker_folders() -> None:
    """kombu's filesystem transport does not create its folders."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
            if isinstance(folder, str):
                Path(folder).mkdir(parents=True, exist_ok=True)


def queue_first_scans() -> int:
    """A scan of every demo domain that was never scanned. Returns how many were queued."""
    from smecyber.assets.models import Domain
    from smecyber.demo_data import PROGRAMME

    try:
        from smecyber.scans.services import request_scan
    except ImportError:
        return 0
    queued = 0
    for domain in Domain.objects.filter(company__programme__name=PROGRAMME).order_by("name"):
        if not domain.scans.exists():
            request_scan(domain, user=None, trigger="scheduled")
            queued += 1
    return queued


@dataclass
class ScanWatch:
    """Reports the demo domains' scans as they finish."""

    reported: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)
    all_reported: bool = False

    def poll(self, out: TextIO) -> None:
        from django.db import connection

        from smecyber.demo_data import PROGRAMME
        from smecyber.scans.models import Scan

        scans = list(Scan.objects.filter(domain__company__programme__name=PROGRAMME)
                     .select_related("domain").order_by("finished_at"))
        connection.close()  # do not keep a SQLite connection open between polls
        for scan in scans:
            key = str(scan.id)
            if key in self.reported or scan.status not in ("done", "failed"):
                continue
            self.reported.add(key)
            if scan.status == "done":
                out.write(f"  scan done    {scan.domain.name:<22} {describe_grades(scan.grades)}\n")
            else:
                out.write(f"  scan failed  {scan.domain.name:<22} {scan.error[:80]}\n")
        waiting = [s for s in scans if s.status in ("queued", "running")]
        if scans and not waiting and not self.all_reported:
            self.all_reported = True
            out.write(f"  all {len(scans)} demo scans finished ({time.monotonic() - self.started:.0f} s)\n")
        out.flush()


def describe_grades(grades: dict[str, object]) -> str:
    parts = []
    for area, grade in (grades or {}).items():
        letter = grade.get("letter") if isinstance(grade, dict) else grade
        if letter:
            parts.append(f"{area} {letter}")
    return ", ".join(parts) or "(no grades)"


def print_banner(out: TextIO, *, url: str, data_dir: Path, logins: object, lab: object, queued: int,
                 mailbox: str) -> None:
    from smecyber.demo_data import COMPANIES, OWNER_EMAIL

    out.write(f"\nsmecyber is running: {url}/\n\n")
    passwords = getattr(logins, "passwords", None)
    if passwords:
        roles = logins.roles  # type: ignore[attr-defined]
        out.write("  demo logins (the passwords are shown only now; they are stored as hashes):\n")
        width = max(len(e) for e in passwords)
        for email, password in passwords.items():
            out.write(f"    {email:<{width}}  {password}   {roles[email]}\n")
    else:
        out.write(f"  demo data exists (log in as {OWNER_EMAIL}, advisor@ and coordinator@baltic-it.test);\n"
                  "  forgot a password? `smecyber manage changepassword EMAIL` sets a new one\n")
    out.write(f"  demo SMEs: {', '.join(c.name for c in COMPANIES)}\n")
    out.write(f"  mailbox:   {mailbox}\n")
    out.write(f"  logs:      {data_dir / 'log' / 'web.log'}, {data_dir / 'log' / 'worker.log'}\n")
    plan = getattr(lab, "plan", None)
    block = f"127.{plan.base}.0.0/16" if plan else "loopback"
    out.write(f"  lab:       {len(getattr(lab, 'domains', []))} .test domains on {block}, "
              f"resolver {getattr(lab, 'nameserver', '?')}\n")
    if queued:
        out.write(f"  scans:     {queued} first scans queued; they are reported here as they finish\n")
    out.write("\nCtrl-C stops the web server, the worker and the lab.\n\n")
    out.flush()


# --- `smecyber manage` and `smecyber worker` --------------------------------------------------------------


def manage(argv: list[str]) -> int:
    """Django's manage.py with the platform's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smecyber.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["smecyber manage", *argv])
    return 0


def worker(argv: list[str]) -> int:
    """A Celery worker (production): `celery -A smecyber.web.celery worker ARGS`, consuming every platform
    queue unless ARGS name queues. Replaces this process, so signals reach Celery directly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smecyber.web.settings")
    args = list(argv)
    if not any(a in ("-Q", "--queues") or a.startswith(("--queues=", "-Q")) for a in args):
        args = ["--queues", ",".join(platform_queues()), *args]
    command = [sys.executable, "-m", "celery", "-A", "smecyber.web.celery", "worker", *args]
    sys.stdout.flush()
    os.execv(sys.executable, command)
    return 0  # not reached


# --- the whole thing ------------------------------------------------------------------------------------


class _Stop(Exception):
    pass


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def run_platform(out: TextIO = sys.stdout) -> int:
    """`smecyber run`. Returns 0 after Ctrl-C / SIGTERM, 1 when a part could not start or died."""
    data_dir = Path(os.environ.get("SMECYBER_DATA_DIR", "var")).resolve()
    bind = os.environ.get("SMECYBER_BIND", DEFAULT_BIND)
    os.environ["SMECYBER_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "smecyber.web.settings"
    os.environ.setdefault("SMECYBER_SITE_URL", site_url_for(bind))
    os.environ.setdefault("SMECYBER_EMAIL_BACKEND", FILE_EMAIL_BACKEND)
    previous_term = signal.signal(signal.SIGTERM, _raise_stop)
    children: list[Child] = []
    try:
        with data_dir_lock(data_dir):
            return _run(out, data_dir, bind, children)
    except PlatformError as exc:
        out.flush()
        sys.stderr.write(f"smecyber run: {exc}\n")
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def _run(out: TextIO, data_dir: Path, bind: str, children: list[Child]) -> int:
    from smecyber.lab.lab import Lab

    out.write(f"smecyber run: data in {data_dir}\n")
    out.flush()
    lab = Lab()
    try:
        try:
            lab.start()
        except (OSError, RuntimeError) as exc:
            raise PlatformError(f"the lab could not start ({exc}); it needs root for ports 25/53/80/443 "
                                "and the Debian packages knot, unbound, ldnsutils (scripts/setup.sh)") from exc
        # The worker scans the lab; the web process verifies domains with the same resolver.
        os.environ["SMECYBER_SCAN_NAMESERVERS"] = lab.nameserver
        os.environ["SMECYBER_SCAN_CA_FILE"] = str(lab.ca_file)
        os.environ["SMECYBER_SCAN_ALLOW_LOOPBACK"] = "true"
        out.write(f"  lab: {len(lab.domains)} domains, resolver {lab.nameserver}\n")
        out.flush()
        prepare_django(out)
        from smecyber.demo_data import create_demo_data

        logins = create_demo_data()
        env = dict(os.environ)
        log_dir = data_dir / "log"
        worker = Child.start("worker", worker_argv(beat=True, queues=platform_queues()), env=env,
                             log_path=log_dir / "worker.log", cwd=data_dir)
        children.append(worker)
        web = Child.start("web server", web_argv(bind), env=env, log_path=log_dir / "web.log", cwd=data_dir)
        children.append(web)
        wait_for_port(bind, web)
        queued = queue_first_scans()
        from django.conf import settings

        if settings.EMAIL_BACKEND == FILE_EMAIL_BACKEND:
            mailbox = f"{settings.EMAIL_FILE_PATH}/ (every email the platform sends, one .log file per process)"
        else:
            mailbox = f"{settings.EMAIL_BACKEND} (SMECYBER_EMAIL_BACKEND)"
        print_banner(out, url=settings.SITE_URL, data_dir=data_dir, logins=logins, lab=lab, queued=queued,
                     mailbox=mailbox)
        return _supervise(out, children)
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        _shutdown(out, children, lab)


def _supervise(out: TextIO, children: list[Child]) -> int:
    watch = ScanWatch()
    while True:
        for child in children:
            if not child.alive():
                out.write(f"\nsmecyber run: the {child.name} exited (code {child.popen.returncode}); "
                          f"its log ends with:\n{child.tail()}\n")
                return 1
        try:
            watch.poll(out)
        except Exception as exc:  # a scan table that is briefly locked must not stop the platform
            out.write(f"  (could not read scan status: {exc})\n")
        time.sleep(2)


def _shutdown(out: TextIO, children: list[Child], lab: object) -> None:
    # Ctrl-C again while stopping must not leave half the platform running.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        if children:
            out.write("\nstopping: web server, worker, lab\n")
            out.flush()
        for child in reversed(children):  # the web server first: no new scan requests
            # The worker gets a cold shutdown (SIGQUIT): the lab goes down with us, so a scan still running
            # would only record errors. kombu puts its unacknowledged task back in the queue folder, and the
            # scan's lease lets the next start's reaper take it over if that did not happen.
            first = signal.SIGQUIT if child.name == "worker" else signal.SIGTERM
            child.stop(first)
        left = [pid for child in children for pid in group_members(child.pid)]
        if left:
            out.write(f"warning: processes left: {left}\n")
        stop = getattr(lab, "stop", None)
        if stop is not None:
            stop()
        out.flush()
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
