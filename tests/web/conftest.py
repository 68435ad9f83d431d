"""Fixtures of the web tests (shared with tests/api): the world and the lab-pointed scanner."""

from tests.web import fixtures

world = fixtures.world
lab_scanner = fixtures.lab_scanner
