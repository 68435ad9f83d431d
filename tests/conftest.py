"""Shared fixtures. The network guard is loaded first: no test may reach beyond loopback."""

from __future__ import annotations

from tests.lab.conftest_lab import lab, lab_scan  # noqa: F401  (session-scoped: the lab, its deep scan)

pytest_plugins = ["tests.network_guard"]
