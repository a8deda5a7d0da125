"""Demo data is for trying the service, never for a live one."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_demo_data_in_production() -> None:
    """Stop a demo command before it writes: demo staff share one published password."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise CommandError(
            "Demo data cannot be loaded with production settings: it adds staff accounts with a "
            "password anyone can read in the README"
        )
