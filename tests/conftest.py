"""Shared fixtures. The network guard is loaded first: no test may reach beyond loopback."""

from __future__ import annotations

pytest_plugins = ["tests.network_guard"]
