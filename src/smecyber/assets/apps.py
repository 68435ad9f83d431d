from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "smecyber.assets"
    label = "assets"
