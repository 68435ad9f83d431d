"""Debian's Chromium driven by Playwright's sync API, in a thread of its own.

Why a thread: between two sync calls Playwright marks its event loop as *running* in the calling thread
(playwright/_impl/_greenlets.py, ``wait_for_future``). In the test's own thread that would make Django's ORM
refuse to work ("You cannot call this from an async context") and ``asyncio.run`` fail in every later test of
the session. So one worker thread owns Playwright and the browser; a test hands it a function
(``BrowserThread.run``) that does the clicking, while the test's thread keeps the database, the settings and
the live server for itself. The browser functions touch no database: they read the mailbox
(``django.core.mail.outbox``, a plain list) and write files, nothing else.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No network beyond loopback, no first-run UI, no background traffic (component updates, sync, safe browsing).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--no-proxy-server",  # an http_proxy in the environment must not send loopback pages elsewhere
]
ACTION_TIMEOUT_MS = 15_000
# A scan runs eagerly inside the POST that requests it (Celery's eager mode in the live server's thread).
NAVIGATION_TIMEOUT_MS = 90_000
JOB_TIMEOUT_S = 180.0

T = TypeVar("T")


def unavailable(reason: str) -> None:
    """A missing browser: a failure under CI (setup.sh installs it), a skip with the reason elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: scripts/setup.sh installs it)", pytrace=False)
    pytest.skip(f"{reason} (scripts/setup.sh installs it)")


class BrowserThread:
    """One Chromium for the whole session; every call of ``run`` executes in the same worker thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Any = None
        self.browser: Any = None
        self._executor.submit(self._start).result(timeout=60)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, job: Callable[..., T], *args: Any, timeout: float = JOB_TIMEOUT_S) -> T:
        """``job(browser, *args)`` in the browser's thread; its exception is raised here."""
        return self._executor.submit(job, self.browser, *args).result(timeout=timeout)

    def close(self) -> None:
        def stop() -> None:
            try:
                if self.browser is not None:
                    self.browser.close()
            finally:
                if self._playwright is not None:
                    self._playwright.stop()

        try:
            self._executor.submit(stop).result(timeout=30)
        finally:
            self._executor.shutdown(wait=False, cancel_futures=True)


@contextmanager
def browser_context(browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    """A fresh context (cookies, storage) on ``base_url``; any request to another origin is aborted.

    An aborted request shows as a console error ("net::ERR_FAILED"), so a page that tries to load something
    from elsewhere is reported by the console check too.
    """
    options.setdefault("locale", "en-GB")  # the Accept-Language the app sees
    options.setdefault("timezone_id", "Europe/Stockholm")
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    origin = re.escape(base_url.rstrip("/"))
    context.route(re.compile(rf"^(?!{origin}(/|$))"), lambda route: route.abort())
    try:
        yield context
    except BaseException as exc:
        exc.add_note(save_pages(context))
        raise
    finally:
        context.close()


def save_pages(context: Any) -> str:
    """Screenshot and HTML of every open page, for a failed test's report (the page as the browser had it)."""
    folder = Path(tempfile.mkdtemp(prefix="smecyber-browser-"))
    for number, page in enumerate(context.pages):
        try:
            page.screenshot(path=str(folder / f"page{number}.png"), full_page=True, timeout=5_000)
            (folder / f"page{number}.html").write_text(f"<!-- {page.url} -->\n{page.content()}")
        except Exception as error:  # a crashed or navigating page: note it, keep the original failure
            (folder / f"page{number}.error.txt").write_text(f"{page.url}: {error}")
    return f"the browser's pages at the failure are saved in {folder}"
