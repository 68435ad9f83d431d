"""Makes the ``lab`` fixture available to the lab's own tests (the root conftest may import it too)."""

from tests.lab.conftest_lab import lab  # noqa: F401
