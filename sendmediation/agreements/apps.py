from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "sendmediation.agreements"
    label = "agreements"
    verbose_name = "Agreements, signatures and copies"

    def ready(self) -> None:
        # Connects the receiver that stops signing links when a case is withdrawn or closed.
        from sendmediation.agreements import services  # noqa: F401
