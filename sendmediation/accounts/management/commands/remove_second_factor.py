"""Remove a person's authenticator app when no manager can sign in to do it (for example the only one)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.accounts.models import User
from sendmediation.accounts.services import remove_second_factor


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator app; to set up another they need a new link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}")
        if remove_second_factor(user=user, removed_by=None):
            self.stdout.write(
                "Removed. To set up a new authenticator app they need a new link: "
                f"manage.py invite_to_second_factor {user.username}, or a manager's Authenticator apps page."
            )
        else:
            self.stdout.write("They had no authenticator app: nothing to remove.")
