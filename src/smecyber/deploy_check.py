"""`smecyber check-deploy`: Django's `check --deploy` plus the platform's own production checks, failing on
any warning. The environment variables that make it pass are listed in the README and docs/operations.md.
"""

from __future__ import annotations

import os

from django.core import checks

# HSTS preloading (security.W021) is the operator's decision (settings.SECURE_HSTS_PRELOAD); not a failure.
NOT_CHECKED = ("security.W021",)


def production_checks(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """What `check --deploy` cannot know: embedded-mode defaults that do not belong in production."""
    from django.conf import settings

    found: list[checks.CheckMessage] = []

    def warn(code: str, msg: str, hint: str) -> None:
        found.append(checks.Warning(msg, hint=hint, id=f"smecyber.W{code}"))

    if not os.environ.get("SMECYBER_SECRET_KEY"):
        warn("001", "SMECYBER_SECRET_KEY is not set: the key is kept in the data directory of one machine.",
             "Set SMECYBER_SECRET_KEY to the same long random value on every web and worker machine.")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warn("002", "The database is SQLite (embedded mode).",
             "Set DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/NAME.")
    if settings.CELERY_BROKER_URL.startswith(("filesystem://", "memory://")):
        warn("003", "The task broker is kombu's filesystem transport (embedded mode, one machine).",
             "Set CELERY_BROKER_URL=redis://HOST:6379/0 or amqp://USER:PASSWORD@HOST:5672//.")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        warn("004", "Scans run inside the web request (SMECYBER_TASKS_EAGER is true).",
             "Unset SMECYBER_TASKS_EAGER and run `smecyber worker`.")
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        warn("005", "The cache is per machine: login throttling is not shared by several web servers.",
             "Set SMECYBER_CACHE_URL=redis://HOST:6379/1.")
    if settings.SCAN_ALLOW_LOOPBACK:
        warn("006", "The scanner may connect to loopback addresses (SMECYBER_SCAN_ALLOW_LOOPBACK).",
             "Unset SMECYBER_SCAN_ALLOW_LOOPBACK; it is for the lab only.")
    if settings.EMAIL_BACKEND.rsplit(".", 2)[-2] in ("console", "filebased", "locmem", "dummy"):
        warn("007", f"Emails are not delivered ({settings.EMAIL_BACKEND}).",
             "Set SMECYBER_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and SMECYBER_EMAIL_HOST.")
    if not settings.SITE_URL.startswith("https://"):
        warn("008", f"SMECYBER_SITE_URL is {settings.SITE_URL!r}: links in emails would not use HTTPS.",
             "Set SMECYBER_SITE_URL=https://your.host.")
    local = {"localhost", "127.0.0.1", "[::1]"}
    if not set(settings.ALLOWED_HOSTS) - local or "*" in settings.ALLOWED_HOSTS:
        warn("009", f"SMECYBER_ALLOWED_HOSTS is {','.join(settings.ALLOWED_HOSTS)!r}.",
             "Set SMECYBER_ALLOWED_HOSTS to the site's host name(s), e.g. smecyber.example.org.")
    return found


def check_deploy() -> int:
    """Run the checks with the settings the environment gives; 0 only when nothing is reported."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smecyber.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()
    settings.SILENCED_SYSTEM_CHECKS = [*settings.SILENCED_SYSTEM_CHECKS, *NOT_CHECKED]
    checks.register(production_checks, "smecyber", deploy=True)
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as exc:
        print(exc)
        print("smecyber check-deploy: not ready for production (see README: production mode)")
        return 1
    return 0
