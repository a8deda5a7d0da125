"""Demo data is for trying the service, never for a live one."""

from django.conf import settings
from django.core.management.base import CommandError

DEMO_STAFF_REASON = "it adds staff accounts with a password anyone can read in the README"


def refuse_demo_data_in_production(why: str = DEMO_STAFF_REASON) -> None:
    """Stop a demo command before it writes: demo staff share one published password, and made-up
    cases mixed with real ones would reach the reports, the deadlines and the staff's lists."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise CommandError(f"Demo data cannot be loaded with production settings: {why}")
