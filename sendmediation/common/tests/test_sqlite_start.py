"""A new SQLite connection waits for another process's lock while it sets itself up, as two gunicorn
workers opening the file at once do; before, the switch to WAL ran before the busy timeout was set
and failed at once with "database is locked" (seen as a 503 from /healthz in the two-worker test)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from config.settings.base import SQLITE_INIT_COMMAND


def _set_up(path: Path, init_command: str) -> None:
    """What Django does for a new connection: open the file, then run each statement."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        for statement in init_command.split(";"):
            if statement.strip():
                connection.execute(statement)
    finally:
        connection.close()


def _while_another_process_holds_the_file(path: Path, init_command: str) -> None:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    released = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    released.start()
    try:
        started = time.monotonic()
        _set_up(path, init_command)
        assert time.monotonic() - started >= 0.4  # it waited for the lock
    finally:
        released.join()
        holder.close()


def test_a_new_connection_waits_for_the_lock_while_it_switches_to_wal(tmp_path):
    _while_another_process_holds_the_file(tmp_path / "a.sqlite3", SQLITE_INIT_COMMAND)


def test_the_old_order_failed_at_once(tmp_path):
    old = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _while_another_process_holds_the_file(tmp_path / "b.sqlite3", old)
