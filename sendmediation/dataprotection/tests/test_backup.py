"""manage.py backup and restore: a round trip gives back every row of every table and every file's
bytes, on whichever database the suite runs (SQLite, or PostgreSQL through scripts/with_postgres.sh).

The data is committed (transactional tests) because pg_dump reads the database from another session.
The restore replaces the test database's contents with the same schema, so the tests after these
find it as they expect; pytest-django empties it after each of these tests, as for every
transactional test.
"""

from __future__ import annotations

import io
import re
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import open_case
from sendmediation.dataprotection import backup
from sendmediation.dataprotection.tests.builders import build_casework

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table, in an order that does not depend on how the database returns them."""
    with connection.cursor() as cursor:
        tables = backup._tables(cursor, connection.vendor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {backup._quote(table)}")  # noqa: S608
            rows[table] = sorted(
                (tuple(_plain(value) for value in row) for row in cursor.fetchall()), key=repr
            )
    return rows


def every_file(root: Path) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in backup.media_files(root)}


def _backup(folder: Path) -> Path:
    out = io.StringIO()
    call_command("backup", to=str(folder), stdout=out)
    archives = list(folder.glob("sendmediation-*.tar.gz"))
    assert len(archives) == 1, out.getvalue()
    return archives[0]


@pytest.fixture
def casework(personas, monkeypatch):
    return build_casework(personas, monkeypatch)


def test_a_round_trip_gives_back_every_row_and_every_file(casework, personas, media, tmp_path):
    rows_before, files_before = every_row(), every_file(media)
    # Enough to show the comparison sees each kind of thing.
    assert len(rows_before["cases_case"]) == 3 and rows_before["cases_caseevent"]
    assert rows_before["agreements_agreement"] and rows_before["notifications_outboxmessage"]
    assert any(name.startswith("certificates/") for name in files_before)
    assert any(name.startswith("case-documents/") for name in files_before)
    assert any(name.startswith("agreements/") for name in files_before)

    archive = _backup(tmp_path / "backups")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    # Change things after the backup: a new case, a file removed, a stray file added.
    open_case(personas, child_first_name="Late", child_last_name="Addition")
    casework.document.file.storage.delete(casework.document.file.name)
    (media / "stray.txt").write_bytes(b"not in the backup")
    assert every_row() != rows_before and every_file(media) != files_before

    out = io.StringIO()
    call_command("restore", str(archive), replace=True, stdout=out)

    assert every_row() == rows_before
    assert every_file(media) == files_before
    printed = out.getvalue()
    assert "cases_case" in printed and "Restored" in printed


def test_restoring_into_an_empty_database_needs_no_replace(casework, media, tmp_path):
    rows_before, files_before = every_row(), every_file(media)
    archive = _backup(tmp_path / "backups")
    call_command("flush", interactive=False, verbosity=0)
    assert not Case.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())

    assert every_row() == rows_before
    assert every_file(media) == files_before


def test_a_database_holding_data_is_not_overwritten_without_replace(casework, media, tmp_path):
    archive = _backup(tmp_path / "backups")
    open_case_count = Case.objects.count()
    Case.objects.filter(pk=casework.other.pk).update(summary="Changed after the backup")
    rows_before = every_row()

    with pytest.raises(CommandError, match=r"already holds cases.*--replace"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert every_row() == rows_before and Case.objects.count() == open_case_count


def _tamper(archive: Path, target: Path, *, name_starts: str) -> str:
    """Copy the archive, changing one byte of the first file whose name starts with ``name_starts``."""
    changed = ""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            handle = source.extractfile(member)
            assert handle is not None
            data = handle.read()
            if not changed and member.name.startswith(name_starts):
                data = bytes([data[0] ^ 1]) + data[1:]
                changed = member.name
            copy.addfile(member, io.BytesIO(data))
    assert changed
    return changed


@pytest.mark.parametrize("part", ["media/case-documents/", "database."])
def test_a_changed_archive_is_refused_before_anything_is_touched(casework, media, tmp_path, part):
    archive = _backup(tmp_path / "backups")
    tampered = tmp_path / "tampered.tar.gz"
    changed = _tamper(archive, tampered, name_starts=part)
    Case.objects.filter(pk=casework.other.pk).update(summary="Changed after the backup")
    (media / "stray.txt").write_bytes(b"after the backup")
    rows_before, files_before = every_row(), every_file(media)

    with pytest.raises(CommandError, match=re.escape(changed) + " .*does not match its checksum"):
        call_command("restore", str(tampered), replace=True, stdout=io.StringIO())

    assert every_row() == rows_before
    assert every_file(media) == files_before


def test_an_archive_from_other_code_is_refused():
    applied = _applied()
    with pytest.raises(backup.BackupError, match="migrations this code does not have"):
        backup._check_migrations({"migrations": [["cases", "9999_from_the_future"], *applied]})
    with pytest.raises(backup.BackupError, match="This code has migrations the backup's database does not"):
        backup._check_migrations({"migrations": applied[1:]})
    backup._check_migrations({"migrations": applied})


def _applied() -> list[list[str]]:
    with connection.cursor() as cursor:
        return backup.applied_migrations(cursor)
