from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "smecyber.scans"
    label = "scans"
