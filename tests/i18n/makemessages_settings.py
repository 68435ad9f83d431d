"""Settings for re-extracting messages into a scratch directory (LOCALE_PATHS from the environment)."""

import os
from pathlib import Path

from tests.django_settings import *  # noqa: F403

LOCALE_PATHS = [Path(os.environ["SMECYBER_SCRATCH_LOCALE"])]
