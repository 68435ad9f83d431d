from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "smecyber.reports"
    label = "reports"
