"""manage.py backup [--to DIR]: one archive of the database and the uploaded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.dataprotection.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup or pg_dump) and the uploaded files into one "
        "archive, readable only by its owner, with a manifest of migrations, row counts and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", metavar="DIR", help="Folder for the archive (default: BACKUP_DIR).")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["to"]) if options["to"] else Path(settings.BACKUP_DIR)
        try:
            archive = make_backup(to_dir=folder, progress=self.stdout.write)
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(self.style.SUCCESS(f"Backed up to {archive}"))
