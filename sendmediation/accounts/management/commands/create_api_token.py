"""Print a new bearer token for a member of staff. It is shown once; only its hash is kept."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'case import'.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}")
        try:
            _, token = create_api_token(user=user, name=options["name"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(token)
