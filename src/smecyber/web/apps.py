from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "smecyber.web"
    label = "web"
    verbose_name = "smecyber"
