from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "smecyber.scans"
    label = "scans"

    def ready(self) -> None:
        # Make the project's Celery app the current one wherever Django runs (web, shell, tests), so
        # shared_task's .delay() uses its broker and settings (e.g. eager mode) instead of Celery's default app.
        import smecyber.web.celery  # noqa: F401
