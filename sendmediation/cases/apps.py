from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sendmediation.cases"
    label = "cases"
    verbose_name = "Casework"
