"""Whether the database can serve the service: answer a query and take a write."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.utils import DatabaseError


def database_state() -> str:
    """ "up", "down" (no answer) or "read-only" (answers, but refuses to write: a full disk, a
    read-only file or a replica). The write changes no row, but the database must take it as one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE django_migrations SET app = app WHERE id = -1")
    except DatabaseError:
        return "read-only"
    return "up"
