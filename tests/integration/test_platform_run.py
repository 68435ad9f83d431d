"""`smecyber run` as a person runs it (embedded mode): SQLite in a file, kombu's filesystem broker, a real
worker with beat, gunicorn and the lab; the demo scans finish, the printed login works, and Ctrl-C leaves no
process behind."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from smecyber.demo_data import OWNER_EMAIL, demo_domain_names
from tests.integration.workers import processes_with_env

pytestmark = [pytest.mark.integration, pytest.mark.lab]

START_TIMEOUT = 240.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Output:
    """The command's stdout, read by a thread so waiting for a line has a timeout."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float, process: subprocess.Popen[str], logs: Path) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.text)
            if match:
                return match
            if process.poll() is not None:
                break
            time.sleep(0.2)
        worker_log = (logs / "worker.log").read_text(errors="replace")[-3000:] if (logs / "worker.log").exists() else ""
        pytest.fail(f"no {pattern!r} within {timeout:.0f} s (exit code {process.poll()}):\n{self.text}\n"
                    f"--- worker.log ---\n{worker_log}")


def log_in(base: str, email: str, password: str) -> str:
    """Sign in through the login form (with its CSRF token); returns the start page's HTML."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "login": email, "password": password})
    request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(),
                                     headers={"Referer": f"{base}/accounts/login/"})
    response = opener.open(request, timeout=30)
    assert "/accounts/login/" not in response.url, "the login form came back: the password was refused"
    return response.read().decode()


def test_make_run_starts_the_platform_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SMECYBER_", "DJANGO_", "DATABASE_URL", "CELERY_", "PYTEST_"))}
    env.update(SMECYBER_DATA_DIR=str(data_dir), SMECYBER_BIND=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "smecyber.cli", "run"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    out = Output(process)
    try:
        names = demo_domain_names()
        out.wait_for(rf"all {len(names)} demo scans finished", START_TIMEOUT, process, data_dir / "log")
        base = f"http://127.0.0.1:{port}"
        assert f"smecyber is running: {base}/" in out.text
        password = re.search(rf"{re.escape(OWNER_EMAIL)}\s+(\S+)", out.text)
        assert password, out.text
        assert "Demo Shop" in log_in(base, OWNER_EMAIL, password.group(1))

        # the scans went request -> filesystem broker -> worker -> SQLite (file, WAL)
        db = sqlite3.connect(f"file:{data_dir / 'smecyber.sqlite3'}?mode=ro", uri=True)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            statuses = dict(db.execute(
                "SELECT d.name, s.status FROM scans_scan s JOIN assets_domain d ON d.id = s.domain_id").fetchall())
            findings = db.execute("SELECT count(*) FROM scans_scanfinding").fetchone()[0]
        finally:
            db.close()
        assert statuses == dict.fromkeys(names, "done")
        assert findings > 10 * len(names)
        assert str(password.group(1)) not in (data_dir / "smecyber.sqlite3").read_bytes().decode("latin-1")
    finally:
        # Ctrl-C in a terminal: SIGINT to the foreground process group (the command and the lab's servers)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert code == 0, out.text
    assert "stopping: web server, worker, lab" in out.text
    time.sleep(0.5)
    assert processes_with_env(str(data_dir)) == [], "processes left behind after Ctrl-C"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass

