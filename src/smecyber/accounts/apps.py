from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "smecyber.accounts"
    label = "accounts"
