from django.apps import AppConfig


class LocalitiesConfig(AppConfig):
    name = "sendmediation.localities"
    label = "localities"
    verbose_name = "Local authorities and coverage"
