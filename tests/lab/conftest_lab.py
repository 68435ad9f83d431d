"""The session-scoped ``lab`` fixture: one started lab for the whole test run.

tests/conftest.py imports it (``from tests.lab.conftest_lab import lab``). The lab picks a free address
block (127.100-199.0.0/16), so several test runs and a person's `smecyber lab` can run side by side.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from smecyber.lab.lab import Lab

REQUIRED = {"knotd": "knot", "unbound": "unbound", "ldns-signzone": "ldnsutils"}


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    missing = sorted({pkg for binary, pkg in REQUIRED.items() if shutil.which(binary) is None})
    if missing:
        pytest.fail(f"the lab needs the Debian packages {', '.join(missing)} "
                    f"(apt-get install -y {' '.join(missing)})", pytrace=False)
    with Lab() as started:
        yield started
