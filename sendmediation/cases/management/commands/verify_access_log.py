"""Walk the access log's hash chain and say whether it holds."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sendmediation.cases.access_log import broken_links
from sendmediation.cases.models import AccessLog


class Command(BaseCommand):
    help = "Check that no row of the access log was changed, removed or inserted after it was written."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(broken_links())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The access log's chain is broken in {len(problems)} places")
        self.stdout.write(f"The access log's chain holds: {AccessLog.objects.count()} rows checked.")
