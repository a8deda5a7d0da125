"""Build the postcode index under var/ so that no family waits for it. Running it again changes nothing."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendmediation.localities.postcodes import INDEX_FILENAME, PostcodeIndex, build_index


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


class Command(BaseCommand):
    help = "Build the postcode index from the ONS postcode directory, unless it is already up to date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", type=Path, help="Where the index lives (default: the VAR_DIR setting)."
        )
        parser.add_argument(
            "--source-dir",
            type=Path,
            help="A directory of postcodes_*.msgpack.br files (default: the installed package's).",
        )
        parser.add_argument("--force", action="store_true", help="Rebuild even when the index is up to date.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"] or Path(settings.VAR_DIR)
        source_dir: Path | None = options["source_dir"]
        path = directory / INDEX_FILENAME
        started = time.perf_counter()
        before = _identity(path)
        try:
            if options["force"]:
                self.stdout.write(f"Rebuilding the postcode index in {directory} ...")
                build_index(directory, source_dir=source_dir)
            else:
                self.stdout.write(
                    f"Checking the postcode index in {directory} (a build takes under a minute) ..."
                )
            index = PostcodeIndex.open(directory, source_dir=source_dir)
        except (FileNotFoundError, ValueError) as problem:
            raise CommandError(f"Could not build the postcode index: {problem}") from problem
        try:
            seconds = time.perf_counter() - started
            state = "Already up to date" if _identity(path) == before else "Built"
            self.stdout.write(
                f"{state}: {len(index):,} postcodes in {path} "
                f"(data version {index.source_version}, built {index.built_at}), {seconds:.1f} s."
            )
        finally:
            index.close()
