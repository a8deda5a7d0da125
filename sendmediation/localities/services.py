"""Changes to local authorities: loading the table of 153, and coverage, each change recorded."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendmediation.localities import coverage
from sendmediation.localities.authorities import AUTHORITIES
from sendmediation.localities.models import COVERAGE_FIELDS, CoverageChange, LocalAuthority

if TYPE_CHECKING:
    from sendmediation.accounts.models import User

__all__ = ["AuthoritySync", "check_coverage_dates", "sync_authorities", "update_coverage"]


@dataclass(frozen=True)
class AuthoritySync:
    created: int
    updated: int
    unchanged: int
    not_in_table: tuple[str, ...]


def sync_authorities(model: Any = LocalAuthority) -> AuthoritySync:
    """Make the database hold every authority in ``AUTHORITIES`` with its current name and kind.

    Safe to run again: it adds what is missing and corrects names and kinds, never duplicates, and
    never deletes (staff and cases point at authorities). ``model`` lets a migration pass its
    historical model.
    """
    existing = {authority.code: authority for authority in model.objects.all()}
    created = updated = unchanged = 0
    for authority in AUTHORITIES:
        row = existing.get(authority.code)
        if row is None:
            model.objects.create(code=authority.code, name=authority.name, kind=authority.kind.value)
            created += 1
        elif (row.name, row.kind) != (authority.name, authority.kind.value):
            row.name, row.kind = authority.name, authority.kind.value
            row.save(update_fields=["name", "kind"])
            updated += 1
        else:
            unchanged += 1
    known = {authority.code for authority in AUTHORITIES}
    return AuthoritySync(created, updated, unchanged, tuple(sorted(set(existing) - known)))


def check_coverage_dates(covered_from: datetime.date | None, covered_to: datetime.date | None) -> None:
    """Raise ValidationError, keyed by field, when the coverage period makes no sense."""
    if covered_to is None:
        return
    if covered_from is None:
        raise ValidationError({"covered_from": "Enter the date we start covering this authority"})
    if covered_to < covered_from:
        raise ValidationError(
            {"covered_to": "The date we stop covering this authority must be the same as or after the start"}
        )


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def update_coverage(
    *,
    authority: LocalAuthority,
    actor: User | None,
    changes: Mapping[str, Any],
    via: str = "admin",
) -> list[CoverageChange]:
    """Change an authority's coverage and record each changed field (who, when, old and new value).

    ``changes`` maps coverage field names to new values; fields left out keep their values and
    fields given their current value record nothing. ``actor`` is None only for commands.
    Returns the recorded changes.
    """
    unknown = set(changes) - set(COVERAGE_FIELDS)
    if unknown:
        raise ValueError(f"not coverage fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
        new_values = {name: changes.get(name, getattr(current, name)) for name in COVERAGE_FIELDS}
        check_coverage_dates(new_values["covered_from"], new_values["covered_to"])
        now = timezone.now()
        recorded = []
        for name in COVERAGE_FIELDS:
            old, new = getattr(current, name), new_values[name]
            if _as_text(old) == _as_text(new):
                continue
            setattr(current, name, new)
            recorded.append(
                CoverageChange(
                    authority=current,
                    field=name,
                    old_value=_as_text(old),
                    new_value=_as_text(new),
                    changed_by=actor,
                    changed_at=now,
                    via=via,
                )
            )
        if not recorded:
            return []
        current.save(update_fields=[change.field for change in recorded])
        CoverageChange.objects.bulk_create(recorded)
        # Dropped now for this process's reads inside the transaction, and again once others can see it.
        coverage.forget_cached_coverage()
        transaction.on_commit(coverage.forget_cached_coverage)
    for name in COVERAGE_FIELDS:
        setattr(authority, name, getattr(current, name))
    return recorded
