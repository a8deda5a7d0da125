from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "sendmediation.dataprotection"
    label = "dataprotection"
    verbose_name = "Backups and subject access"
