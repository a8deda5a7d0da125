from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sendmediation.reports"
    label = "reports"
    verbose_name = "Reports for local authorities and managers"
