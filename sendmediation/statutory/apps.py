from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "sendmediation.statutory"
    label = "statutory"
    verbose_name = "Statutory clock"
