"""Print a new bearer token for a member of staff. It is shown once; only its hash is kept."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.accounts.models import ApiToken, User
from sendmediation.accounts.tokens import create_api_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'case import'.")
        parser.add_argument("--read-only", action="store_true", help="Read cases; change nothing.")
        parser.add_argument("--days", type=int, default=None, help="Days it works (90 unless set).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}")
        try:
            _, token = create_api_token(
                user=user,
                name=options["name"],
                scope=ApiToken.Scope.READ if options["read_only"] else ApiToken.Scope.READ_AND_ACT,
                days=options["days"],
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(token)
