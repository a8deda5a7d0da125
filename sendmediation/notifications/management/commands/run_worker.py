"""Run the background worker (django-tasks-db's db_worker) with the notifications scheduler beside it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.env import env_int
from sendmediation.notifications.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Run the background worker. Also enqueues the email sweep every minute and the daily deadline "
        "reminders, unless --without-scheduler is given (for extra workers)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--sweep-seconds", type=float, default=60.0, help="Seconds between email sweeps.")
        parser.add_argument(
            "--reminder-hour",
            type=int,
            default=getattr(settings, "NOTIFICATIONS_REMINDER_HOUR", None)
            or env_int("NOTIFICATIONS_REMINDER_HOUR", 7),
            help="Hour of the day (UK time) from which the daily reminders are sent.",
        )
        parser.add_argument("--without-scheduler", action="store_true", help="Only run tasks.")
        parser.add_argument("--worker-id", default=None, help="Unique id of this worker in the pool.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["without_scheduler"]:
            Scheduler(sweep_seconds=options["sweep_seconds"], reminder_hour=options["reminder_hour"]).start()
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["worker_id"]:
            worker_options["worker_id"] = options["worker_id"]
        call_command("db_worker", **worker_options)
