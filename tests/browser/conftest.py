"""Fixtures of the browser tests: one Chromium per session (in its own thread, see driver.py), the app on
pytest-django's live server (same process: ``django.core.mail.outbox`` is the mailbox and Celery tasks run
eagerly in the request's thread, so a scan is done when its POST returns), the scanner pointed at the lab."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from smecyber.accounts.models import Programme, SupportOrganisation
from smecyber.lab.lab import Lab
from tests.browser.driver import CHROMIUM, BrowserThread, unavailable
from tests.browser.live_site import CLOSED_PROGRAMME_NAME, PROGRAMME_NAME, Site


@pytest.fixture(scope="session")
def browser_thread() -> Iterator[BrowserThread]:
    if not CHROMIUM.exists():
        unavailable(f"the browser tests need Debian's Chromium at {CHROMIUM} "
                    "(apt-get install -y chromium chromium-driver)")
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def site(live_server: Any, settings: Any, lab: Lab) -> Iterator[Site]:
    host = urlsplit(live_server.url).hostname or "localhost"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    settings.SCAN_NAMESERVERS = [lab.nameserver]
    settings.SCAN_CA_FILE = str(lab.ca_file)
    settings.SCAN_ALLOW_LOOPBACK = True
    organisation = SupportOrganisation.objects.create(name="Baltic IT Cluster", country="SE")
    programme = Programme.objects.create(organisation=organisation, name=PROGRAMME_NAME)
    Programme.objects.create(organisation=organisation, name=CLOSED_PROGRAMME_NAME, open_for_signup=False)
    site = Site(url=live_server.url, lab=lab, programme=programme)
    yield site
    for path in site.uploaded:  # the lab serves the whole session: leave its docroots as they were
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
