from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sendmediation.api"
    label = "api"
    verbose_name = "API"
