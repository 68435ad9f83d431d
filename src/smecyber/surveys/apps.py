from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "smecyber.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers the ``hasbit`` lookup on BigIntegerField)
