"""Shared fixtures. The network guard is loaded first: no test may reach beyond loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lab.conftest_lab import lab, lab_scan  # noqa: F401  (session-scoped: the lab, its deep scan)

pytest_plugins = ["tests.network_guard"]


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """The test client's requests leave their language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it): a later test would get Swedish messages. Every test starts in the default language."""
    yield
    from django.utils import translation

    translation.deactivate()
