"""manage.py subject_access_export REFERENCE --to FILE --by USERNAME: the zip the case page makes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.accounts.models import User
from sendmediation.cases.errors import CaseworkError
from sendmediation.cases.models import Case
from sendmediation.cases.references import normalise_reference
from sendmediation.dataprotection.subject_access import write_subject_access_export


class Command(BaseCommand):
    help = (
        "Export everything held about the family of a case as one zip file with an index, as the "
        "case page's manager-only action does. The export is recorded in the access log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The case reference, for example MED-2026-000123.")
        parser.add_argument(
            "--to", required=True, metavar="FILE", help="The zip file to write (must not exist)."
        )
        parser.add_argument(
            "--by",
            required=True,
            metavar="USERNAME",
            help="The manager making the export, for the access log.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active account called {options['by']}")
        case = Case.objects.filter(reference=normalise_reference(options["reference"])).first()
        if case is None:
            raise CommandError(f"There is no case {options['reference']}")
        target = Path(options["to"])
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as problem:
            raise CommandError(f"{target} already exists: choose a new file name") from problem
        try:
            with os.fdopen(descriptor, "wb") as out:
                summary = write_subject_access_export(actor=actor, case=case, out=out)
        except CaseworkError as problem:
            target.unlink(missing_ok=True)
            raise CommandError(str(problem)) from problem
        cases = ", ".join(section.case.reference for section in summary.sections)
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} with cases {cases}"))
