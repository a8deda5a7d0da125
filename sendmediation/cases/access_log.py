"""The access log as a hash chain: each row's hash covers its fields and the hash of the row before,
so editing, removing or inserting a row breaks the chain from there on.

Rows older than the retention period are removed from the start of the chain (``prune``). A
checkpoint keeps the hash of the last row removed; the first row kept must follow it, so removing
rows from the start without a checkpoint is still found."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sendmediation.cases.models import AccessLog, AccessLogCheckpoint

# Any constant: PostgreSQL's transaction-scoped lock that lets one writer at a time extend the chain.
_CHAIN_LOCK = 7_301_018


def row_digest(row: Any, previous_hash: str) -> str:
    """The row's hash over its fields and the hash before it.

    Rows written before list reads were logged (``hash_version`` 1) keep the hash they were given:
    their id and fields joined by a separator. Every row since (version 2) hashes a JSON list of
    its fields, the query and counts included, so that no field's text can pass for another's. It
    leaves out the id, so that the hash is known before the row is written and the row is written
    in one statement; the order of the rows is held by each one carrying the hash before it. The
    two never meet: a version 1 text starts with the previous row's hash (hex digits) or the
    separator, a version 2 text with "v2", so turning a row back to version 1 breaks its hash."""
    fields = [
        previous_hash,
        row.at.isoformat(),
        str(row.user_id or ""),
        str(row.case_id or ""),
        str(row.help_request_id or ""),
        row.what,
        row.item,
    ]
    if row.hash_version == 1:
        text = "\x1f".join([fields[0], str(row.pk), *fields[1:]])
    else:
        text = "v2" + json.dumps(
            [*fields, row.query, row.shown, row.page],
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _checkpoint_hash() -> str:
    return (
        AccessLogCheckpoint.objects.order_by("-removed_through_id")
        .values_list("last_hash", flat=True)
        .first()
        or ""
    )


def _last_hash() -> str:
    """The hash the next row follows: the last row's, or the latest checkpoint's when every row
    was removed, or nothing when the chain starts. One query, as every read of a page pays it."""
    rows, checkpoints = AccessLog._meta.db_table, AccessLogCheckpoint._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE((SELECT row_hash FROM {rows} ORDER BY id DESC LIMIT 1), "  # noqa: S608 - table names only
            f"(SELECT last_hash FROM {checkpoints} ORDER BY removed_through_id DESC LIMIT 1), '')"
        )
        return str(cursor.fetchone()[0])


def append(**fields: Any) -> AccessLog:
    """Write one row at the end of the chain. Inside a request's transaction it needs no savepoint
    of its own: if the row cannot be written, nothing the request did should stand."""
    with transaction.atomic(savepoint=False):
        _lock_chain()
        previous = _last_hash()
        row = AccessLog(previous_hash=previous, at=timezone.now(), **fields)
        row.row_hash = row_digest(row, previous)
        row.save(force_insert=True)
    return row


def broken_links(rows: Iterator[Any] | None = None) -> Iterator[str]:
    """Each place the chain does not hold, in plain words. The first row must follow the latest
    checkpoint (or start the chain, when no row was ever removed)."""
    previous: str | None = _checkpoint_hash()
    first = True
    for row in rows if rows is not None else AccessLog.objects.order_by("id").iterator():
        if row.previous_hash != previous:
            if first:
                yield (
                    f"Row {row.pk} does not follow the last row removed: "
                    "rows were removed without a checkpoint"
                )
            else:
                yield f"Row {row.pk} does not follow the row before it: a row was removed or inserted"
        first = False
        if row.row_hash != row_digest(row, row.previous_hash):
            yield f"Row {row.pk} was changed after it was written"
        previous = row.row_hash


def rows_to_prune(*, last_day: datetime.date) -> Any:
    """The rows from the start of the chain written on or before ``last_day`` (local time): up to
    the first row written after it, so the chain loses only its start."""
    day_after = timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    )
    first_kept = (
        AccessLog.objects.filter(at__gte=day_after).order_by("id").values_list("id", flat=True).first()
    )
    rows = AccessLog.objects.filter(at__lt=day_after)
    return rows if first_kept is None else rows.filter(id__lt=first_kept)


def prune(*, last_day: datetime.date) -> int:
    """Remove the start of the chain up to ``last_day`` and record a checkpoint; returns how many."""
    with transaction.atomic():
        _lock_chain()
        rows = rows_to_prune(last_day=last_day)
        last = rows.order_by("-id").values_list("id", "row_hash").first()
        if last is None:
            return 0
        removed, _ = AccessLog.objects.filter(id__lte=last[0]).delete()
        AccessLogCheckpoint.objects.create(
            at=timezone.now(), removed_through_id=last[0], removed_rows=removed, last_hash=last[1]
        )
    return removed
