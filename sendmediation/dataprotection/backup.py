"""One archive holding the whole service: the database, the uploaded files and a manifest.

`manage.py backup` and `manage.py restore` call `make_backup` and `restore_backup`. The manifest
lists the migrations the database had, the rows in every table and the SHA-256 of every file in the
archive; a restore checks all three. docs/deployment.md says how to use them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.pgdump"
MEDIA = "media"
FORMAT = 1
# Tables that hold what people put in. A database with none of these rows counts as empty: rows that
# migrations write (local authorities, content types, the site's first pages) do not count.
PEOPLES_MODELS = ("accounts.User", "cases.Case", "intake.HelpRequest")

Progress = Callable[[str], None]


class BackupError(Exception):
    """Something stopped a backup or a restore; the message says what, in plain words."""


def _quiet(message: str) -> None:
    return None


# --- PostgreSQL's tools ---------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore: PG_BIN when set, else the newest PostgreSQL under
    /usr/lib/postgresql (as scripts/with_postgres.sh finds it), else the PATH."""
    if settings.PG_BIN:
        return str(Path(settings.PG_BIN) / name)
    candidates = [
        path for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}") if os.access(path, os.X_OK)
    ]

    def version(path: Path) -> tuple[int, ...]:
        digits = path.parent.parent.name
        return tuple(int(part) for part in digits.split(".") if part.isdigit())

    if candidates:
        return str(max(candidates, key=version))
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools or set PG_BIN")
    return found


def _pg_arguments(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump and pg_restore. The password goes in the
    environment (PGPASSWORD), never on the command line, where other users of the machine see it."""
    arguments = []
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    arguments += ["--dbname", str(db["NAME"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return arguments, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{what} failed: {detail or 'no reason given'}")


# --- what the database holds ----------------------------------------------------------------------


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    elif vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}")
    return sorted(row[0] for row in cursor.fetchall())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    """How many rows every table holds."""
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a quoted table name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def code_migrations() -> set[tuple[str, str]]:
    """Every migration in the code that is running."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def database_is_empty(connection: BaseDatabaseWrapper) -> bool:
    """No staff account, case or request for help: nothing that people put in."""
    with connection.cursor() as cursor:
        tables = set(_tables(cursor, connection.vendor))
        for label in PEOPLES_MODELS:
            table = apps.get_model(label)._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    return False
    return True


# --- files ----------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name inside MEDIA_ROOT, path) for every uploaded file, in a stable order."""
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


# --- backing up -----------------------------------------------------------------------------------


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    # The online backup API copies a consistent snapshot while the service keeps running.
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return row_counts(cursor, "sqlite"), applied_migrations(cursor)
    finally:
        copy.close()


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    # The counts and pg_dump read the same snapshot, so the manifest describes the dump exactly.
    arguments, environment = _pg_arguments(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(cursor, "postgresql")
        migrations = applied_migrations(cursor)
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *arguments,
            ],
            environment,
            "pg_dump",
        )
    return counts, migrations


def _private_file(path: Path) -> Any:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


def make_backup(
    *,
    to_dir: Path,
    progress: Progress = _quiet,
    using: str = "default",
    now: datetime.datetime | None = None,
) -> Path:
    """Write one archive of the database and the uploaded files into ``to_dir``; return its path."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a database transaction")
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    to_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = to_dir / f"sendmediation-{moment:%Y%m%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists: wait a second and run the backup again")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=to_dir, prefix=".backup-") as work:
        if connection.vendor == "sqlite":
            database_name = SQLITE_FILE
            progress("Copying the SQLite database with its online backup")
            counts, migrations = _dump_sqlite(connection, Path(work) / database_name)
        elif connection.vendor == "postgresql":
            database_name = POSTGRESQL_FILE
            progress("Dumping the PostgreSQL database with pg_dump")
            counts, migrations = _dump_postgresql(connection, Path(work) / database_name)
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}")
        database_path = Path(work) / database_name
        progress(f"Database copied: {len(counts)} tables, {sum(counts.values())} rows")
        files = {database_name: {"sha256": sha256_of(database_path), "size": database_path.stat().st_size}}
        uploads = list(media_files(media_root))
        progress(f"Reading {len(uploads)} uploaded files")
        for number, (name, path) in enumerate(uploads, start=1):
            files[f"{MEDIA}/{name}"] = {"sha256": sha256_of(path), "size": path.stat().st_size}
            if number % 500 == 0:
                progress(f"  {number} of {len(uploads)} files read")
        manifest = {
            "format": FORMAT,
            "made_at": moment.isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": migrations,
            "row_counts": counts,
            "files": files,
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")

        partial = Path(work) / archive.name
        with _private_file(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(database_path, arcname=database_name)
            for number, (name, path) in enumerate(uploads, start=1):
                tar.add(path, arcname=f"{MEDIA}/{name}")
                if number % 500 == 0:
                    progress(f"  {number} of {len(uploads)} files written")
        os.replace(partial, archive)
    progress(f"Backup written to {archive} ({archive.stat().st_size} bytes)")
    return archive


# --- restoring ------------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _copy(source: Any, target: Path) -> str:
    """Write ``source`` to ``target``; return the SHA-256 of what was written."""
    digest = hashlib.sha256()
    with target.open("wb") as handle:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def _unpack(archive: Path, work: Path, progress: Progress) -> dict[str, Any]:
    """Unpack into ``work``, checking every file against the manifest; nothing else is touched."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            member = tar.extractfile(MANIFEST) if MANIFEST in tar.getnames() else None
            if member is None:
                raise BackupError(f"{archive.name} has no manifest: manage.py backup did not make it")
            manifest = json.load(member)
            listed: dict[str, dict[str, Any]] = manifest.get("files", {})
            if manifest.get("format") != FORMAT or not isinstance(listed, dict):
                raise BackupError(f"{archive.name} was made by a different version of the backup")
            found = set()
            for entry in tar:
                if entry.name == MANIFEST:
                    continue
                if not entry.isfile() or entry.name not in listed or not _safe_name(entry.name):
                    raise BackupError(
                        f"{archive.name} holds {entry.name!r}, which the manifest does not list"
                    )
                source = tar.extractfile(entry)
                assert source is not None  # a regular file
                target = work / entry.name
                target.parent.mkdir(parents=True, exist_ok=True)
                if _copy(source, target) != listed[entry.name]["sha256"]:
                    raise BackupError(
                        f"{entry.name} in {archive.name} does not match its checksum: the archive was "
                        "changed or damaged. Nothing was restored."
                    )
                found.add(entry.name)
                if len(found) % 500 == 0:
                    progress(f"  {len(found)} of {len(listed)} files checked")
    except (tarfile.TarError, EOFError, OSError, zlib.error, json.JSONDecodeError) as problem:
        raise BackupError(f"{archive.name} cannot be read as a backup: {problem}") from problem
    missing = sorted(set(listed) - found)
    if missing:
        raise BackupError(
            f"{archive.name} lacks {len(missing)} files its manifest lists, such as {missing[0]}"
        )
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    saved = {(app, name) for app, name in manifest["migrations"]}
    code = code_migrations()
    newer = sorted(saved - code)
    older = sorted(code - saved)
    if newer:
        app, name = newer[0]
        raise BackupError(
            f"The backup's database has migrations this code does not have (such as {app}.{name}): "
            "restore it with the version of the service that made it"
        )
    if older:
        app, name = older[0]
        raise BackupError(
            f"This code has migrations the backup's database does not have (such as {app}.{name}): "
            "restore it with the version of the service that made it, then upgrade"
        )


def _load_sqlite(connection: BaseDatabaseWrapper, source: Path) -> None:
    # The backup API writes the whole database into the live one under SQLite's own lock, so the
    # file, its write-ahead log and any open connection stay consistent (no file is swapped).
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _load_postgresql(connection: BaseDatabaseWrapper, source: Path) -> None:
    arguments, environment = _pg_arguments(connection.settings_dict)
    connection.close()  # so that no session of ours holds a lock on a table being replaced
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(source),
        ],
        environment,
        "pg_restore",
    )


def _swap_media(staged: Path, media_root: Path) -> None:
    staged.mkdir(exist_ok=True)
    old = media_root.with_name(f".{media_root.name}-before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        staged.chmod(media_root.stat().st_mode & 0o7777)
        media_root.rename(old)
    staged.rename(media_root)
    if old.exists():
        shutil.rmtree(old)


def restore_backup(
    *, archive: Path, replace: bool = False, progress: Progress = _quiet, using: str = "default"
) -> dict[str, int]:
    """Restore the database and the uploaded files from ``archive``; return the rows per table,
    counted again after the restore and checked against the manifest."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction")
    if not archive.is_file():
        raise BackupError(f"{archive} was not found")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so that the checked files move into place with one rename.
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as folder:
        work = Path(folder)
        progress(f"Checking {archive.name} against its manifest")
        manifest = _unpack(archive, work, progress)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"The backup is of a {manifest['database']} database; this service uses {connection.vendor}"
            )
        _check_migrations(manifest)
        if not replace and not database_is_empty(connection):
            raise BackupError(
                "The database already holds cases, requests or staff accounts. Nothing was restored. "
                "To overwrite everything in it with the backup, run the restore again with --replace."
            )
        progress("Restoring the database")
        if connection.vendor == "sqlite":
            _load_sqlite(connection, work / SQLITE_FILE)
        else:
            _load_postgresql(connection, work / POSTGRESQL_FILE)
        progress("Putting the uploaded files in place")
        _swap_media(work / MEDIA, media_root)
    with connection.cursor() as cursor:
        counts = row_counts(cursor, connection.vendor)
    expected: dict[str, int] = manifest["row_counts"]
    wrong = [
        f"{table}: {counts.get(table)} rows, the backup had {rows}"
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    if wrong:
        raise BackupError("The restored database does not match the backup: " + "; ".join(wrong[:5]))
    return counts
