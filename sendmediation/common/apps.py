from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_migrate


def make_cache_tables(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Make the database cache's table (config/caches.py) before any migration or post-migrate step
    runs, since those may already use the cache: ``migrate`` on a new database then needs nothing
    else. Does nothing when the table is there, or when the cache is not in the database."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CommonConfig(AppConfig):
    """What every other app may use: GOV.UK form fields and their templates, times of day, the rate limiter.

    It has no models and imports no other app of ours, so anything may depend on it.
    """

    name = "sendmediation.common"
    label = "common"
    verbose_name = "Shared pieces"

    def ready(self) -> None:
        pre_migrate.connect(make_cache_tables, dispatch_uid="sendmediation.common.make_cache_tables")
