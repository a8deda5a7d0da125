from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendmediation.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"
