from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sendmediation.intake"
    label = "intake"
    verbose_name = "Requests for help"
