from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "smecyber.api"
    label = "api"
