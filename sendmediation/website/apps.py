from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "sendmediation.website"
    label = "website"
    verbose_name = "Public website"
