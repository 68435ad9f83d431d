"""Fixtures of the API tests: the matrix's world (tests/web/world.py) and a client per persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.web import fixtures
from tests.web.world import World

API = "/api/v1"
world = fixtures.world
lab_scanner = fixtures.lab_scanner


@pytest.fixture
def as_persona(world: World) -> Callable[[str], Client]:
    """A client that authenticates with the persona's API token (anonymous: no credentials)."""

    def make(persona: str) -> Client:
        headers: dict[str, Any] = {}
        if persona != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
        return Client(HTTP_HOST="127.0.0.1", **headers)

    return make
