"""How many cases there are, kept by the database as cases are added and removed.

The case list says how many cases it shows ("150,000 cases", "page 1 of 6,000"). For someone who
sees every case with no filter, counting them read every entry of an index: about 10 ms at
150,000 cases on PostgreSQL, a quarter of the page's time, and growing with the cases. Triggers on
the case table (migration ``cases/0032_case_total``) keep the number instead, so the list reads it.

- **PostgreSQL:** each statement that adds or removes cases adds one row, the change, to
  ``cases_case_total``; the total is their sum. Adding a row takes no lock that another writer
  waits for (one row updated by every writer would make each new case wait for the one before,
  and could deadlock with the access log's lock). When the rows pass ``FOLD_AFTER``, reading the
  total folds them into one, in one statement. ``TRUNCATE`` empties it with the cases.
- **SQLite:** one writer at a time, so one row is updated for each case added or removed.

The table is not a model, so ``dumpdata`` and ``flush`` leave it to the triggers, which keep it
right whichever way the cases change; ``pg_dump`` copies its rows with the cases' and makes the
triggers after loading both, and SQLite's backup copies the file whole.

**A migration that rebuilds the case table on SQLite drops its triggers** (SQLite removes a
table's triggers with it, and Django rebuilds the table to alter or remove a column, or to add a
constraint). Such a migration must make them again, as 0032 does; ``cases/tests/test_case_total.py``
fails on SQLite until it does, since the test database is built by the migrations.
"""

from __future__ import annotations

from django.db import connection

TABLE = "cases_case_total"
FOLD_AFTER = 500


def case_total() -> int:
    """The number of cases, exactly as ``Case.objects.count()`` would say, in one small read."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(change), 0), COUNT(*) FROM {TABLE}")  # noqa: S608 - constant
        total, rows = cursor.fetchone()
    if connection.vendor == "postgresql" and rows > FOLD_AFTER:
        fold()
    return int(total)


def fold() -> None:
    """Replace the rows of changes with one row of their sum. One statement: a writer adding a row
    meanwhile keeps it, and two folds at once each fold only the rows they removed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH folded AS (DELETE FROM {TABLE} RETURNING change) "  # noqa: S608 - constant
            f"INSERT INTO {TABLE} (change) SELECT COALESCE(SUM(change), 0) FROM folded"
        )
