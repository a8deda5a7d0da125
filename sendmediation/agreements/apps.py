from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "sendmediation.agreements"
    label = "agreements"
    verbose_name = "Agreements, signatures and copies"

    def ready(self) -> None:
        # Connects the receiver that stops signing links when a case is withdrawn or closed.
        from sendmediation.agreements import services  # noqa: F401
        from sendmediation.agreements.retention import anonymise_agreements, signed_agreement
        from sendmediation.cases import retention

        # Casework never imports agreements: the retention schedule reaches them through these.
        if anonymise_agreements not in retention.ANONYMISERS:
            retention.ANONYMISERS.append(anonymise_agreements)
        if signed_agreement not in retention.KEEPING_REASONS:
            retention.KEEPING_REASONS.append(signed_agreement)
