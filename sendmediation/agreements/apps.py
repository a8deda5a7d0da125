from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "sendmediation.agreements"
    label = "agreements"
    verbose_name = "Agreements, signatures and copies"
