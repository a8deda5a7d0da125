"""manage.py restore ARCHIVE [--replace]: put back a backup made by manage.py backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.dataprotection.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a backup archive. Checks the archive's "
        "checksums and migrations first; refuses a database that holds data unless --replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz file written by manage.py backup.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that already holds cases, requests or staff accounts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = restore_backup(
                archive=Path(options["archive"]), replace=options["replace"], progress=self.stdout.write
            )
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write("Rows in each table, as in the backup:")
        width = max((len(table) for table in counts), default=0)
        for table, rows in sorted(counts.items()):
            self.stdout.write(f"  {table.ljust(width)}  {rows}")
        self.stdout.write(self.style.SUCCESS(f"Restored {len(counts)} tables and the uploaded files"))
