"""Fictional demo data. Running it again changes nothing."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts.models import User
from sendmediation.accounts.services import invite_to_second_factor
from sendmediation.common.demo import refuse_demo_data_in_production
from sendmediation.localities.models import LocalAuthority

DEMO_PASSWORD = "kestrel-demo-2026"  # noqa: S105 - printed for the demo; never used in production

DEMO_STAFF = [
    ("coordinator", "Priya", "Shah", User.Role.COORDINATOR, None),
    ("adviser", "Tom", "Okafor", User.Role.ADVISER, None),
    ("mediator", "Ruth", "Ellison", User.Role.MEDIATOR, None),
    ("manager", "Graham", "Dale", User.Role.MANAGER, None),
    ("officer", "Lena", "Marsh", User.Role.LA_OFFICER, "E09000033"),
]


class Command(BaseCommand):
    help = "Load fictional demo data (staff of every role). Safe to run more than once."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        refuse_demo_data_in_production()
        created = 0
        for username, first, last, role, authority_code in DEMO_STAFF:
            authority = None
            if authority_code:
                authority, _ = LocalAuthority.objects.get_or_create(
                    code=authority_code,
                    defaults={"name": "Westminster", "kind": LocalAuthority.Kind.LONDON},
                )
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    # An officer works for the authority, not for us: an address at the council.
                    "email": f"{first.lower()}.{last.lower()}@westminster.gov.example"
                    if authority_code
                    else f"{username}@kestrel-mediation.example",
                    "role": role,
                    "local_authority": authority,
                    "is_staff": role == User.Role.MANAGER,
                    "is_superuser": role == User.Role.MANAGER,
                },
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            if role == User.Role.COORDINATOR:
                # The coordinator drafts changes to the public pages; the manager publishes them.
                user.groups.add(*Group.objects.filter(name="Editors"))
        self.stdout.write(f"Demo staff: {created} created, {len(DEMO_STAFF) - created} already there.")
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/sign-in/ with any of these (password {DEMO_PASSWORD}):"
        )
        for username, first, last, role, _ in DEMO_STAFF:
            self.stdout.write(f"  {username:<12} {first} {last}, {User.Role(role).label}")
        if settings.STAFF_SECOND_FACTOR:
            self._second_factor_links()

    def _second_factor_links(self) -> None:
        """With the second factor on, each demo person without an app needs a manager's link to set
        one up: one is made for each here (any older one stops working)."""
        waiting = User.objects.filter(username__in=[row[0] for row in DEMO_STAFF]).exclude(
            pk__in=TOTPDevice.objects.filter(confirmed=True).values("user")
        )
        if not waiting:
            return
        self.stdout.write("To set up an authenticator app, open the person's link (each works once):")
        for user in waiting.order_by("username"):
            _, token = invite_to_second_factor(user=user, invited_by=None)
            link = reverse("accounts:open_second_factor_invitation", args=[token])
            self.stdout.write(f"  {user.username:<12} {settings.SITE_URL}{link}")
