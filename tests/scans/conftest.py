from tests.scans.world import lab_settings, world  # noqa: F401
