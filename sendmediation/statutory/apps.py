from django.apps import AppConfig
from django.core import checks


class StatutoryConfig(AppConfig):
    name = "sendmediation.statutory"
    label = "statutory"
    verbose_name = "Statutory clock"

    def ready(self) -> None:
        from sendmediation.statutory.checks import check_calendar_knows_next_year

        checks.register(check_calendar_knows_next_year)
