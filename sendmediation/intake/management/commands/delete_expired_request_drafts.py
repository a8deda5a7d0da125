from typing import Any

from django.core.management.base import BaseCommand

from sendmediation.intake.services import delete_expired_drafts


class Command(BaseCommand):
    help = "Delete requests for help that were started but not sent (or sent) more than 7 days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_expired_drafts()
        self.stdout.write(f"Deleted {deleted} expired request{'s' if deleted != 1 else ''} in progress")
