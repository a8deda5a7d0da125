"""Print a one-time link for a person to set up their authenticator app, when no manager can sign in to
make one (a fresh installation's first manager, or the only manager after losing their phone)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.accounts.services import CannotInvite, invitation_lifetime, invite_to_second_factor


class Command(BaseCommand):
    help = "Make a one-time link for USERNAME to set up their authenticator app, and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}")
        try:
            _, token = invite_to_second_factor(user=user, invited_by=None)
        except CannotInvite as problem:
            raise CommandError(problem.message) from None
        hours = int(invitation_lifetime().total_seconds() // 3600)
        self.stdout.write(
            f"{settings.SITE_URL}{reverse('accounts:open_second_factor_invitation', args=[token])}"
        )
        self.stderr.write(
            f"The link works once, for {hours} hours. Any older link for them has stopped working."
        )
