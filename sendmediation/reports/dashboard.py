"""The manager dashboard: what needs attention today, each figure a link to the list of those items.

Every figure is a grouped count in the database, and the cases are counted from the case list's own
query (``cases.queries.case_list``) with the same filters its link carries, so a figure and the list
it opens cannot disagree. The dashboard's figures take eight queries whatever the number of cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import SERVICE_STAFF
from sendmediation.cases.models import Case
from sendmediation.cases.queries import (
    AGE_BANDS,
    OPEN_CASES,
    assigned_to_nobody,
    assigned_to_person,
    case_list,
    end_of_week,
    received_age_filter,
)
from sendmediation.intake.models import HelpRequest
from sendmediation.localities.models import LocalAuthority
from sendmediation.notifications.models import OutboxMessage

# Coverage ending within this many days is "ending soon".
ENDING_SOON_DAYS = 90


@dataclass(frozen=True)
class Figure:
    """A count and the address of the list that shows exactly those items ("" for none)."""

    count: int
    url: str
    # What is counted, for a screen reader's list of links ("open cases received under 2 weeks ago").
    about: str = ""


def _figure(count: int | None, url: str, about: str = "") -> Figure:
    count = count or 0
    return Figure(count, url if count else "", about)


def case_list_url(**filters: str) -> str:
    return f"{reverse('cases:case_list')}?{urlencode({k: v for k, v in filters.items() if v})}"


def _count(cases: QuerySet[Any]) -> Subquery:
    """The number of rows of ``cases`` as a subquery, for one figure per row of an outer query."""
    return Subquery(
        cases.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


# --- open cases by status and age ----------------------------------------------------------------


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    bands: list[tuple[str, Figure]]  # (the age band's name, the figure)
    total: Figure


@dataclass(frozen=True)
class OpenCases:
    band_labels: list[str]
    rows: list[StatusRow]
    band_totals: list[tuple[str, Figure]]
    total: Figure


def open_cases(user: Any, *, today: datetime.date) -> OpenCases:
    """Open cases by status (in the order a case moves) and by how long ago each was received."""
    tallies = {
        row["status"]: row
        for row in case_list(user, today=today, status=OPEN_CASES)
        .order_by()
        .values("status")
        .annotate(
            total=Count("pk"),
            **{key: Count("pk", filter=received_age_filter(key, today=today)) for key, *_ in AGE_BANDS},
        )
    }
    rows = [
        StatusRow(
            status=status.value,
            label=status.label,
            bands=[
                (
                    label,
                    _figure(
                        tallies[status][key],
                        case_list_url(status=status.value, age=key),
                        f"{status.label}, received {label.lower()} ago",
                    ),
                )
                for key, label, *_ in AGE_BANDS
            ],
            total=_figure(
                tallies[status]["total"], case_list_url(status=status.value), f"{status.label}, in all"
            ),
        )
        for status in Case.Status
        if status in tallies
    ]
    return OpenCases(
        band_labels=[label for _, label, *_ in AGE_BANDS],
        rows=rows,
        band_totals=[
            (
                label,
                _figure(
                    sum(row[key] for row in tallies.values()),
                    case_list_url(status=OPEN_CASES, age=key),
                    f"open cases received {label.lower()} ago",
                ),
            )
            for key, label, *_ in AGE_BANDS
        ],
        total=_figure(
            sum(row["total"] for row in tallies.values()), case_list_url(status=OPEN_CASES), "open cases"
        ),
    )


# --- deadlines at risk this week -----------------------------------------------------------------


@dataclass(frozen=True)
class AtRiskRow:
    name: str
    overdue: Figure
    this_week: Figure
    active: bool = True


@dataclass(frozen=True)
class AtRisk:
    week_ends: datetime.date
    people: list[AtRiskRow]
    nobody: AtRiskRow
    every_case: AtRiskRow

    @property
    def closed_accounts(self) -> bool:
        return any(not row.active for row in self.people)


def at_risk(user: Any, *, today: datetime.date) -> AtRisk:
    """Cases with a staff deadline overdue, or due from today to the end of this week, by who works
    on them. A case with several people counts once for each of them, and once in the total."""
    overdue = case_list(user, today=today, deadline="overdue")
    this_week = case_list(user, today=today, deadline="week")
    nobody = assigned_to_nobody()
    totals = {
        name: cases.order_by().aggregate(every=Count("pk"), nobody=Count("pk", filter=nobody))
        for name, cases in (("overdue", overdue), ("week", this_week))
    }
    people = (
        User.objects.filter(role__in=SERVICE_STAFF)
        .annotate(
            overdue=_count(overdue.filter(assigned_to_person(OuterRef("pk")))),
            this_week=_count(this_week.filter(assigned_to_person(OuterRef("pk")))),
        )
        .filter(Q(overdue__gt=0) | Q(this_week__gt=0))
        .only("first_name", "last_name", "username", "is_active")
        .order_by("first_name", "last_name", "username")
    )
    rows = []
    for person in people:
        counts: dict[str, int] = {"overdue": person.overdue, "week": person.this_week}
        # The case list offers only active staff to filter by; a closed account's cases need moving.
        links = {
            key: case_list_url(assignee=str(person.pk), deadline=key) if person.is_active else ""
            for key in counts
        }
        rows.append(
            AtRiskRow(
                name=person.display_name,
                active=person.is_active,
                overdue=_figure(counts["overdue"], links["overdue"], f"{person.display_name}: overdue"),
                this_week=_figure(counts["week"], links["week"], f"{person.display_name}: due this week"),
            )
        )
    return AtRisk(
        week_ends=end_of_week(today),
        people=rows,
        nobody=AtRiskRow(
            name="Nobody assigned",
            overdue=_figure(
                totals["overdue"]["nobody"],
                case_list_url(assignee="none", deadline="overdue"),
                "nobody assigned: overdue",
            ),
            this_week=_figure(
                totals["week"]["nobody"],
                case_list_url(assignee="none", deadline="week"),
                "nobody assigned: due this week",
            ),
        ),
        every_case=AtRiskRow(
            name="Every case",
            overdue=_figure(
                totals["overdue"]["every"], case_list_url(deadline="overdue"), "every case: overdue"
            ),
            this_week=_figure(
                totals["week"]["every"], case_list_url(deadline="week"), "every case: due this week"
            ),
        ),
    )


# --- requests, emails and coverage ---------------------------------------------------------------


@dataclass(frozen=True)
class Requests:
    waiting: Figure
    oldest_received: datetime.date | None
    oldest_days: int | None


def requests_waiting(*, today: datetime.date) -> Requests:
    """Requests for help neither opened as a case nor turned down yet, and how long the oldest has waited."""
    tally = HelpRequest.objects.new().aggregate(count=Count("pk"), oldest=Min("created_at"))
    oldest = timezone.localdate(tally["oldest"]) if tally["oldest"] else None
    return Requests(
        waiting=_figure(tally["count"], reverse("cases:request_list"), "requests waiting"),
        oldest_received=oldest,
        oldest_days=(today - oldest).days if oldest else None,
    )


@dataclass(frozen=True)
class Emails:
    failed: Figure
    retrying: Figure


def emails_failing() -> Emails:
    outbox = reverse("notifications:outbox")
    return Emails(
        failed=_figure(OutboxMessage.objects.failed().count(), f"{outbox}#failed", "emails not sent"),
        retrying=_figure(
            OutboxMessage.objects.retrying().count(), f"{outbox}#retrying", "emails being tried again"
        ),
    )


@dataclass(frozen=True)
class AuthorityRow:
    code: str
    name: str
    covered_from: datetime.date | None
    covered_to: datetime.date | None
    open_cases: Figure


@dataclass(frozen=True)
class Coverage:
    ending_by: datetime.date
    covered: list[AuthorityRow]
    ending: list[AuthorityRow]
    starting: list[AuthorityRow]
    not_covered_with_cases: list[AuthorityRow]


def coverage(user: Any, *, today: datetime.date) -> Coverage:
    """Authorities covered today, those whose coverage ends soon or starts later, and any authority
    not covered today that still has open cases; each with its open cases."""
    ending_by = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    open_here = case_list(user, today=today, status=OPEN_CASES).filter(local_authority=OuterRef("pk"))
    authorities = (
        LocalAuthority.objects.annotate(open_cases=_count(open_here))
        .filter(
            Q(pk__in=LocalAuthority.objects.covered(on=today).values("pk"))
            | Q(covered_from__gt=today)
            | Q(open_cases__gt=0)
        )
        .only("code", "name", "covered_from", "covered_to")
        .order_by("name", "code")
    )
    result = Coverage(ending_by=ending_by, covered=[], ending=[], starting=[], not_covered_with_cases=[])
    for authority in authorities:
        row = AuthorityRow(
            code=authority.code,
            name=authority.name,
            covered_from=authority.covered_from,
            covered_to=authority.covered_to,
            open_cases=_figure(
                authority.open_cases,  # type: ignore[attr-defined]
                case_list_url(status=OPEN_CASES, authority=authority.code),
                f"open cases in {authority.name}",
            ),
        )
        if authority.is_covered(on=today):
            result.covered.append(row)
            if authority.covered_to is not None and authority.covered_to <= ending_by:
                result.ending.append(row)
        elif authority.covered_from is not None and authority.covered_from > today:
            result.starting.append(row)
        if not authority.is_covered(on=today) and row.open_cases.count:
            result.not_covered_with_cases.append(row)
    result.ending.sort(key=lambda row: (row.covered_to, row.name))
    result.starting.sort(key=lambda row: (row.covered_from, row.name))
    return result


# --- the page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    today: datetime.date
    open_cases: OpenCases
    at_risk: AtRisk
    requests: Requests
    emails: Emails
    coverage: Coverage


def dashboard(user: Any, *, today: datetime.date) -> Dashboard:
    return Dashboard(
        today=today,
        open_cases=open_cases(user, today=today),
        at_risk=at_risk(user, today=today),
        requests=requests_waiting(today=today),
        emails=emails_failing(),
        coverage=coverage(user, today=today),
    )
