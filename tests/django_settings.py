"""Settings for the test suite: the real settings, with a throw-away data directory and an in-memory mailbox.

Scans run eagerly (in the test's thread) unless a test starts a real Celery worker (tests/integration).
``SMECYBER_TEST_DATABASE_URL`` runs the suite on PostgreSQL instead of SQLite.
"""

import os
import tempfile

os.environ.setdefault("SMECYBER_DATA_DIR", tempfile.mkdtemp(prefix="smecyber-test-"))
if os.environ.get("SMECYBER_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["SMECYBER_TEST_DATABASE_URL"]

from smecyber.web.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  WhiteNoise warns about a missing directory otherwise
