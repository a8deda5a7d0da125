"""Reads of the access log for managers: who looked at a case, and what each person opened."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from sendmediation.accounts.models import User
from sendmediation.cases.models import AccessLog, Case

# The periods a manager can choose on a person's report, by the key the GET form sends.
PERIODS: dict[str, tuple[str, datetime.timedelta | None]] = {
    "day": ("Last 24 hours", datetime.timedelta(hours=24)),
    "week": ("Last 7 days", datetime.timedelta(days=7)),
    "month": ("Last 30 days", datetime.timedelta(days=30)),
    "all": ("Everything kept (up to 2 years)", None),
}
DEFAULT_PERIOD = "week"


def case_viewers(case: Case) -> QuerySet[AccessLog]:
    """Every access to the case that is kept, newest first, with who it was."""
    return AccessLog.objects.filter(case=case).select_related("user").order_by("-at", "-id")


@dataclass(frozen=True)
class PersonCounts:
    person: User
    last_day: int
    last_week: int


def access_counts(*, now: datetime.datetime) -> list[PersonCounts]:
    """Everyone who signs in with a role, with how many different cases they opened in the last 24
    hours and the last 7 days; the busiest first. Lists read open no case and are not counted."""
    day_ago, week_ago = now - datetime.timedelta(hours=24), now - datetime.timedelta(days=7)
    counts = {
        row["user_id"]: row
        for row in AccessLog.objects.filter(
            user__isnull=False, case__isnull=False, at__gt=week_ago, at__lte=now
        )
        .exclude(what__in=AccessLog.LIST_READS)
        .values("user_id")
        .annotate(
            last_day=Count("case_id", distinct=True, filter=Q(at__gt=day_ago)),
            last_week=Count("case_id", distinct=True),
        )
    }
    people = User.objects.exclude(role="").order_by("first_name", "last_name", "username")
    rows = [
        PersonCounts(
            person=person,
            last_day=counts.get(person.pk, {}).get("last_day", 0),
            last_week=counts.get(person.pk, {}).get("last_week", 0),
        )
        for person in people
    ]
    return sorted(rows, key=lambda row: (-row.last_day, -row.last_week))


def period_start(period: str, *, now: datetime.datetime) -> datetime.datetime | None:
    length = PERIODS[period][1]
    return None if length is None else now - length


def person_accesses(person: Any, *, since: datetime.datetime | None) -> QuerySet[AccessLog]:
    """What this person opened (a case, a request for help, a record in the admin) and the lists
    they read with what they asked for, newest first."""
    rows = AccessLog.objects.filter(user=person)
    if since is not None:
        rows = rows.filter(at__gt=since)
    return (
        rows.select_related("case", "help_request")
        .only(
            "at",
            "what",
            "item",
            "query",
            "shown",
            "page",
            "case",
            "help_request",
            "case__reference",
            "help_request__reference",
        )
        .order_by("-at", "-id")
    )
