"""Fictional venues and mediators' profiles for the demo; run after load_demo_data."""

from typing import Any

from django.core.management.base import BaseCommand

from sendmediation.common.demo import refuse_demo_data_in_production
from sendmediation.meetings.demo import load_demo_meetings, prepare_demo_cases


class Command(BaseCommand):
    help = "Load fictional demo venues and mediators' profiles. Safe to run more than once."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_demo_data_in_production()
        venues, profiles = load_demo_meetings()
        self.stdout.write(f"Demo meetings: {venues} venues and {profiles} mediators' profiles created.")
        ready = prepare_demo_cases()
        self.stdout.write(f"Demo cases ready for a meeting or an agreement: {ready} changed.")
