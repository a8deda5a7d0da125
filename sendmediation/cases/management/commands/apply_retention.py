"""Apply the retention schedule (settings.RETENTION); the worker runs it daily."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sendmediation.cases.retention import apply_retention
from sendmediation.common import retention


class Command(BaseCommand):
    help = "Remove personal data the retention schedule no longer lets us keep. --dry-run only lists it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would go; change nothing.")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Apply it as on this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"]
        now = timezone.now()
        if today is not None:
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        found = apply_retention(today=today, now=now, dry_run=options["dry_run"])
        verb = "Would remove" if options["dry_run"] else "Removed"
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
        # References and counts only: never a name or anything else personal.
        for rule, period in retention.schedule():
            count = found.counts.get(rule.kind, 0)
            self.stdout.write(f"{verb} {count}: {rule.what} (kept {period})")
            for reference in found.references.get(rule.kind, []):
                self.stdout.write(f"  {reference}")
