from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

# Applying this migration means the database is being set up: it happens once in its life.
FIRST_CONTENT_MIGRATION = ("website", "0002_site_content")


def install_content_into_a_new_database(sender: AppConfig, plan: Any = None, **kwargs: Any) -> None:
    """Give a database migrated from empty its first content, once, as migration 0002 used to.

    Runs only when this migrate applied 0002 and left nothing unapplied, so the live models match
    the tables. A later migrate, a flush or a page an editor deleted never brings pages back.
    """
    if not plan or not any(
        (migration.app_label, migration.name) == FIRST_CONTENT_MIGRATION and not backwards
        for migration, backwards in plan
    ):
        return
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    using = kwargs.get("using", DEFAULT_DB_ALIAS)
    if using != DEFAULT_DB_ALIAS:
        return  # the content is installed through the default connection
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrated part of the way: ``manage.py install_site_content`` once it is all applied

    from sendmediation.website.content.install import install_site_content

    installed = install_site_content()
    stdout = kwargs.get("stdout")
    if installed and stdout is not None and kwargs.get("verbosity", 1) >= 1:
        stdout.write("  Installed the website's first content (manage.py install_site_content).")


class WebsiteConfig(AppConfig):
    name = "sendmediation.website"
    label = "website"
    verbose_name = "Public website"

    def ready(self) -> None:
        from sendmediation.website import page_cache

        post_migrate.connect(install_content_into_a_new_database, sender=self)
        page_cache.watch_for_changes()
