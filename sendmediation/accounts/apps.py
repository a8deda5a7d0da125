from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendmediation.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from sendmediation.accounts.staff_sessions import connect_signals

        connect_signals()
