"""Fixtures shared by tests/web and tests/api (imported by their conftest files)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """A fresh world per test (rolled back with the test's transaction)."""
    return build_world()


@pytest.fixture
def lab_scanner(lab: Any, settings: Any) -> Any:
    """The platform's scanner pointed at the lab (verification does real DNS and HTTPS, on loopback)."""
    settings.SCAN_NAMESERVERS = [lab.nameserver]
    settings.SCAN_CA_FILE = str(lab.ca_file)
    settings.SCAN_ALLOW_LOOPBACK = True
    return lab
