from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "sendmediation.website"
    label = "website"
    verbose_name = "Public website"

    def ready(self) -> None:
        from sendmediation.website import page_cache

        page_cache.watch_for_changes()
