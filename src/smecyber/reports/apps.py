from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "smecyber.reports"
    label = "reports"

    def ready(self) -> None:
        # Cached programme aggregates are recomputed when their data changes (freshness.py).
        from .freshness import connect

        connect()
