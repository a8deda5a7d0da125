"""Synthetic casework for load tests and benchmarks: ``--scale national`` makes 150,000 cases."""

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from sendmediation.cases.demo import SCALES, generate
from sendmediation.common.demo import refuse_demo_data_in_production
from sendmediation.statutory.services import current_calendar


class Command(BaseCommand):
    help = "Add synthetic cases (fictional names) with their deadlines, events and parties, in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--cases", type=int, help="How many cases, instead of a scale's number.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD; default today.")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_demo_data_in_production(
            "it makes thousands of fictional cases, which would mix with real ones in every list and report"
        )
        count = options["cases"] or SCALES[options["scale"]]
        started = time.perf_counter()

        def progress(cases: int, deadlines: int) -> None:
            if options["verbosity"] > 1 or cases == count:
                self.stdout.write(f"  {cases:,} cases, {deadlines:,} deadlines")

        cases, deadlines = generate(
            count=count,
            calendar=current_calendar(),
            today=options["today"] or timezone.localdate(),
            seed=options["seed"],
            progress=progress,
        )
        # Fresh statistics, so that the planner reads the new rows through the right indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Made {cases:,} cases and {deadlines:,} deadlines ({deadlines / max(cases, 1):.1f} a case) "
            f"in {seconds:.1f} seconds."
        )
