"""The access log as a hash chain: each row's hash covers its fields and the hash of the row before,
so editing, removing or inserting a row breaks the chain from there on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from sendmediation.cases.models import AccessLog

# Any constant: PostgreSQL's transaction-scoped lock that lets one writer at a time extend the chain.
_CHAIN_LOCK = 7_301_018


def row_digest(row: Any, previous_hash: str) -> str:
    fields = [
        previous_hash,
        str(row.pk),
        row.at.isoformat(),
        str(row.user_id or ""),
        str(row.case_id or ""),
        str(row.help_request_id or ""),
        row.what,
        row.item,
    ]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def append(**fields: Any) -> AccessLog:
    """Write one row at the end of the chain."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        previous = AccessLog.objects.order_by("-id").values_list("row_hash", flat=True).first() or ""
        row = AccessLog.objects.create(previous_hash=previous, **fields)
        row.row_hash = row_digest(row, previous)
        AccessLog.objects.filter(pk=row.pk).update(row_hash=row.row_hash)
    return row


def broken_links(rows: Iterator[Any] | None = None) -> Iterator[str]:
    """Each place the chain does not hold, in plain words. The first row kept anchors the chain (the
    oldest rows may have been removed under the retention schedule)."""
    previous: str | None = None
    for row in rows if rows is not None else AccessLog.objects.order_by("id").iterator():
        if previous is not None and row.previous_hash != previous:
            yield f"Row {row.pk} does not follow the row before it: a row was removed or inserted"
        if row.row_hash != row_digest(row, row.previous_hash):
            yield f"Row {row.pk} was changed after it was written"
        previous = row.row_hash
