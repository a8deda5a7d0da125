from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every other app may use: GOV.UK form fields and their templates, times of day, the rate limiter.

    It has no models and imports no other app of ours, so anything may depend on it.
    """

    name = "sendmediation.common"
    label = "common"
    verbose_name = "Shared pieces"
