"""Fixtures of the accounts tests (the world itself is built in helpers.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .helpers import World, build_world


@pytest.fixture(autouse=True)
def _web(settings):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    cache.clear()  # rate limits and used TOTP codes live in the cache
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()
