from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "sendmediation.dataprotection"
    label = "dataprotection"
    verbose_name = "Backups and subject access"

    def ready(self) -> None:
        # The admin found every app's admin module in its own ready(), which runs first (it is first
        # in INSTALLED_APPS); autodiscover again in case the order changes: it registers nothing twice.
        from django.contrib import admin

        from sendmediation.dataprotection.admin_reads import log_admin_reads

        admin.autodiscover()
        log_admin_reads(admin.site)
