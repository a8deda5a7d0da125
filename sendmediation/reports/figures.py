"""The reporting layer: aggregate queries only, and the figure sets built from them.

Every query here is ``values()`` and ``annotate()`` with ``Count`` (often conditional), grouped by
the local authority, so that one query answers for one authority, for the whole service, and for
each authority in an export alike. None selects a name, a date of birth, a postcode, free text or
anything else a model tags as personal (``PERSONAL_FIELDS``); ``tests/test_privacy.py`` checks
that by reading the SQL. What comes out is counts, and for medians how many cases took each number
of days: never a row per case.

A figure set is one function taking an authority (or None for the whole service) and a period.
The numbers in it are raw: ``suppression.py`` hides the small ones before anything is shown or
exported.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as DbCase
from django.db.models import CharField, Count, F, Func, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from sendmediation.cases.models import AdviceCall, Case, Certificate, Deadline
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.intake.models import Decision, HelpRequest
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings.models import Meeting
from sendmediation.reports.periods import Period, calendar_year
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RuleCode

# --- what a figure is -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """How many: of requests, calls, certificates, meetings or cases."""

    n: int


@dataclass(frozen=True)
class Share:
    """``part`` out of ``whole``, shown as a percentage."""

    part: int
    whole: int


@dataclass(frozen=True)
class Median:
    """The middle of how long things took, over ``of`` of them."""

    days: float | None
    of: int
    unit: str  # "working days" or "days"


@dataclass(frozen=True)
class NotRecorded:
    """A figure the service does not record yet, said so rather than shown as 0."""

    why: str


Figure = Number | Share | Median | NotRecorded


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: Figure


@dataclass(frozen=True)
class Breakdown:
    """Rows that add up to a total row: hiding one of them alone would give it away."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class FigureSet:
    key: str
    title: str
    rows: tuple[Row, ...]
    breakdowns: tuple[Breakdown, ...] = ()
    note: str = ""

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)


# --- tallies: grouped counts, per authority ------------------------------------------------------

# The key for requests whose postcode matched no authority: in the service's figures only.
NO_AUTHORITY = None


@dataclass
class Tally:
    """Named counts, and for medians how many took each number of days."""

    counts: Counter[str] = field(default_factory=Counter)
    spreads: dict[str, Counter[int]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        for name, spread in other.spreads.items():
            self.spreads.setdefault(name, Counter()).update(spread)


Tallies = dict[int | None, Tally]


def combined(tallies: Mapping[int | None, Tally], authority_id: int | None) -> Tally:
    """One authority's tally, or the whole service's (every authority's, and requests with none)."""
    if authority_id is not None:
        return tallies.get(authority_id, Tally())
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    return total


def _from_rows(
    rows: Iterable[Mapping[str, Any]],
    group: str | None,
    names: Iterable[str],
    prefix: str = "",
    key: int | None = None,
) -> Tallies:
    names = list(names)
    tallies: Tallies = {}
    for row in rows:
        tally = tallies.setdefault(row[group] if group else key, Tally())
        for name in names:
            tally.counts[name] += int(row[prefix + name] or 0)
    return tallies


def _counts(
    queryset: QuerySet[Any],
    group: str | None,
    named: Mapping[str, Q],
    counted: str = "pk",
    key: int | None = None,
) -> Tallies:
    """One query: how many rows match each condition, for each authority (GROUP BY ``group``), or
    in all when ``group`` is None, kept under ``key``. (The counts are named "n_..." so that none
    clashes with a field of the model.)

    ``counted`` is the column counted: any that is never empty counts the same rows. One that the
    report index holds (a record's case, rather than its own id) lets the database answer from the
    index alone, without reading the table."""
    annotations = {
        f"n_{name}": Count(counted, filter=condition) if condition else Count(counted)
        for name, condition in named.items()
    }
    if group is None:
        return _from_rows([queryset.order_by().aggregate(**annotations)], None, named, "n_", key)
    rows = queryset.order_by().values(group).annotate(**annotations)
    return _from_rows(rows, group, named, prefix="n_")


def _within(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as times in London: from the start of its first day to the start of the day after."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start, end


def _scoped(queryset: QuerySet[Any], path: str, authority_id: int | None) -> QuerySet[Any]:
    return queryset if authority_id is None else queryset.filter(**{path: authority_id})


def _group(path: str, by_authority: bool) -> str | None:
    """What a tally groups by: the authority, or nothing (one total, which for the whole service
    spares the database joining every record to its case to find the authority)."""
    return path if by_authority else None


# --- requests received, and by which route ---------------------------------------------------------

ROUTES = (
    ("website", "Requests from the website"),
    ("phone", "Requests taken by phone"),
    ("keyed_in", "Cases opened by staff without a request"),
)


def tally_requests(period: Period, authority_id: int | None = None, *, by_authority: bool = True) -> Tallies:
    start, end = _within(period)
    requests = _scoped(
        HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end),
        "local_authority_id",
        authority_id,
    )
    group = _group("local_authority_id", by_authority)
    tallies = _counts(
        requests,
        group,
        {
            "website": Q(source=HelpRequest.Source.WEBSITE),
            "phone": Q(source=HelpRequest.Source.PHONE),
        },
        key=authority_id,
    )
    keyed = _scoped(
        Case.objects.filter(received_on__gte=period.start, received_on__lte=period.end),
        "local_authority_id",
        authority_id,
    )
    for key, tally in _counts(
        keyed, group, {"keyed_in": Q(source_request__isnull=True)}, key=authority_id
    ).items():
        tallies.setdefault(key, Tally()).add(tally)
    return tallies


def requests_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    rows = [Row("received", "Requests for help received", Number(sum(counts[k] for k, _ in ROUTES)))]
    rows += [Row(key, label, Number(counts[key])) for key, label in ROUTES]
    return FigureSet(
        "requests",
        "Requests for help",
        tuple(rows),
        (Breakdown("received", tuple(key for key, _ in ROUTES)),),
        note="A request is counted on the day it reached us, whether or not it became a case.",
    )


def requests_received(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return requests_set(combined(tally_requests(period, authority_id, by_authority=False), authority_id))


# --- advice calls held ---------------------------------------------------------------------------

ADVICE_OUTCOMES = (
    (AdviceCall.Outcome.WANTS_MEDIATION, "The family then wanted mediation"),
    (AdviceCall.Outcome.DECLINES_MEDIATION, "The family did not want mediation"),
    (AdviceCall.Outcome.NOT_DECIDED, "The family had not decided yet"),
    (AdviceCall.Outcome.CERTIFICATE_NOT_NEEDED, "No certificate was needed"),
)


def tally_advice(period: Period, authority_id: int | None = None, *, by_authority: bool = True) -> Tallies:
    start, end = _within(period)
    calls = _scoped(
        AdviceCall.objects.filter(held_at__gte=start, held_at__lt=end),
        "case__local_authority_id",
        authority_id,
    )
    named = {str(outcome): Q(outcome=outcome) for outcome, _ in ADVICE_OUTCOMES}
    named["no_answer"] = Q(outcome=AdviceCall.Outcome.NO_ANSWER)
    return _counts(
        calls, _group("case__local_authority_id", by_authority), named, counted="case", key=authority_id
    )


def advice_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    parts = tuple(str(outcome) for outcome, _ in ADVICE_OUTCOMES)
    rows = [Row("held", "Advice calls held", Number(sum(counts[key] for key in parts)))]
    rows += [Row(str(outcome), label, Number(counts[str(outcome)])) for outcome, label in ADVICE_OUTCOMES]
    rows.append(Row("no_answer", "Calls where we could not reach the family", Number(counts["no_answer"])))
    return FigureSet("advice", "Mediation advice calls", tuple(rows), (Breakdown("held", parts),))


def advice_calls_held(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return advice_set(combined(tally_advice(period, authority_id, by_authority=False), authority_id))


# --- certificates by kind ------------------------------------------------------------------------

CERTIFICATE_LABELS = (
    (Certificate.Kind.AFTER_ADVICE, "After advice: the family did not want mediation"),
    (Certificate.Kind.AFTER_MEDIATION, "After mediation"),
    (Certificate.Kind.NOT_ARRANGED, "Mediation could not be arranged in time"),
)


def tally_certificates(
    period: Period, authority_id: int | None = None, *, by_authority: bool = True
) -> Tallies:
    certificates = _scoped(
        Certificate.objects.filter(issued_on__gte=period.start, issued_on__lte=period.end),
        "case__local_authority_id",
        authority_id,
    )
    named = {str(kind): Q(kind=kind, revoked_on__isnull=True) for kind, _ in CERTIFICATE_LABELS}
    named["revoked"] = Q(revoked_on__isnull=False)
    return _counts(
        certificates,
        _group("case__local_authority_id", by_authority),
        named,
        counted="case",
        key=authority_id,
    )


def certificates_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    parts = tuple(str(kind) for kind, _ in CERTIFICATE_LABELS)
    rows = [Row("issued", "Certificates issued", Number(sum(counts[key] for key in parts)))]
    rows += [Row(str(kind), label, Number(counts[str(kind)])) for kind, label in CERTIFICATE_LABELS]
    rows.append(Row("revoked", "Issued in error and revoked", Number(counts["revoked"])))
    return FigureSet(
        "certificates",
        "Mediation certificates",
        tuple(rows),
        (Breakdown("issued", parts),),
        note="Certificates revoked later are counted as revoked, not under their kind.",
    )


def certificates_by_kind(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return certificates_set(
        combined(tally_certificates(period, authority_id, by_authority=False), authority_id)
    )


# --- meetings held, their outcomes and the authority's attendance ----------------------------------

MEETING_OUTCOMES = (
    (Meeting.Outcome.FULL_AGREEMENT, "Agreement on everything"),
    (Meeting.Outcome.PARTIAL_AGREEMENT, "Agreement on some things"),
    (Meeting.Outcome.NO_AGREEMENT, "No agreement"),
)


def tally_meetings(period: Period, authority_id: int | None = None, *, by_authority: bool = True) -> Tallies:
    start, end = _within(period)
    held = _scoped(
        Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=start, starts_at__lt=end),
        "case__local_authority_id",
        authority_id,
    )
    mediation = Q(route=Meeting.Route.MEDIATION)
    named = {
        "mediations": mediation,
        "dr_meetings": Q(route=Meeting.Route.DISAGREEMENT_RESOLUTION),
        "la_attended": mediation & Q(la_attended=True),
        "la_absent": mediation & Q(la_attended=False),
        "la_could_settle": mediation & Q(la_attended=True, la_could_settle=True),
        "la_could_not_settle": mediation & Q(la_attended=True, la_could_settle=False),
    }
    named.update({str(outcome): Q(outcome=outcome) for outcome, _ in MEETING_OUTCOMES})
    tallies = _counts(held, _group("case__local_authority_id", by_authority), named, key=authority_id)
    withdrawn = _scoped(
        Case.objects.filter(
            status=Case.Status.WITHDRAWN, closed_on__gte=period.start, closed_on__lte=period.end
        ),
        "local_authority_id",
        authority_id,
    )
    group = _group("local_authority_id", by_authority)
    for key, tally in _counts(withdrawn, group, {"withdrawn": Q()}, key=authority_id).items():
        tallies.setdefault(key, Tally()).add(tally)
    return tallies


def meetings_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    return FigureSet(
        "meetings",
        "Meetings held",
        (
            Row("held", "Meetings held", Number(counts["mediations"] + counts["dr_meetings"])),
            Row("mediations", "Mediations held", Number(counts["mediations"])),
            Row("dr_meetings", "Disagreement resolution meetings held", Number(counts["dr_meetings"])),
        ),
        (Breakdown("held", ("mediations", "dr_meetings")),),
    )


def outcomes_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    parts = tuple(str(outcome) for outcome, _ in MEETING_OUTCOMES)
    held = counts["mediations"] + counts["dr_meetings"]
    rows = [Row("held", "Meetings held", Number(held))]
    rows += [Row(str(outcome), label, Number(counts[str(outcome)])) for outcome, label in MEETING_OUTCOMES]
    rows.append(
        Row(
            "any_agreement",
            "Share of meetings reaching some agreement",
            Share(counts[Meeting.Outcome.FULL_AGREEMENT] + counts[Meeting.Outcome.PARTIAL_AGREEMENT], held),
        )
    )
    rows.append(Row("withdrawn", "Cases withdrawn", Number(counts["withdrawn"])))
    return FigureSet(
        "outcomes",
        "Outcomes",
        tuple(rows),
        (Breakdown("held", parts),),
        note="Outcomes of the meetings held in the period; a case is counted as withdrawn on the day it was.",
    )


def attendance_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    mediations = counts["mediations"]
    attended = counts["la_attended"]
    return FigureSet(
        "attendance",
        "The local authority at mediation",
        (
            Row("mediations", "Mediations held", Number(mediations)),
            Row("attended", "The authority's representative attended", Number(attended)),
            Row("absent", "The authority did not attend", Number(counts["la_absent"])),
            Row("attended_share", "Share of mediations the authority attended", Share(attended, mediations)),
            Row("could_settle", "Its representative could settle", Number(counts["la_could_settle"])),
            Row(
                "could_not_settle",
                "Its representative could not settle",
                Number(counts["la_could_not_settle"]),
            ),
            Row(
                "could_settle_share",
                "Share of attended mediations where the representative could settle",
                Share(counts["la_could_settle"], attended),
            ),
        ),
        (
            Breakdown("mediations", ("attended", "absent")),
            Breakdown("attended", ("could_settle", "could_not_settle")),
        ),
        note="As the mediator recorded it when the mediation was held.",
    )


def meetings_held(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return meetings_set(combined(tally_meetings(period, authority_id, by_authority=False), authority_id))


def outcomes(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return outcomes_set(combined(tally_meetings(period, authority_id, by_authority=False), authority_id))


def authority_attendance(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return attendance_set(combined(tally_meetings(period, authority_id, by_authority=False), authority_id))


# --- the decisions disputed ----------------------------------------------------------------------

DECISIONS = tuple((str(code), str(label)) for code, label in Decision.choices)


def _disputes(code: str) -> Q:
    """Cases whose list of decisions holds ``code``. PostgreSQL tests the JSON list itself (four
    codes over a quarter's cases in 20 ms, where matching each list's text took 80); elsewhere the
    code is matched in the text with its quotes, so that no code matches another."""
    if connection.vendor == "postgresql":
        return Q(decisions__contains=[code])
    return Q(decisions__icontains=f'"{code}"')


def tally_decisions(period: Period, authority_id: int | None = None, *, by_authority: bool = True) -> Tallies:
    cases = _scoped(
        Case.objects.filter(received_on__gte=period.start, received_on__lte=period.end),
        "local_authority_id",
        authority_id,
    )
    named: dict[str, Q] = {code: _disputes(code) for code, _ in DECISIONS}
    named["cases"] = Q()
    return _counts(cases, _group("local_authority_id", by_authority), named, key=authority_id)


def decisions_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    rows = [Row("cases", "Cases received", Number(counts["cases"]))]
    rows += [Row(code, label, Number(counts[code])) for code, label in DECISIONS]
    return FigureSet(
        "decisions",
        "Decisions disputed",
        tuple(rows),
        note="Cases received in the period; a case can dispute more than one decision, so the rows add up "
        "to more than the cases.",
    )


def disputed_decisions(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return decisions_set(combined(tally_decisions(period, authority_id, by_authority=False), authority_id))


# --- timeliness ----------------------------------------------------------------------------------

CERTIFICATE_RULES = (
    RuleCode.CERTIFICATE_AFTER_ADVICE,
    RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED,
    RuleCode.CERTIFICATE_AFTER_MEDIATION,
)
AGREEMENT_RULES = (
    RuleCode.AGREEMENT_NON_APPEALABLE,
    RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA,
    RuleCode.AGREEMENT_AS_ORDER,
)
TIMELINESS = (
    ("certificates", CERTIFICATE_RULES, "Certificates issued within 3 working days", "working days"),
    (
        "mediations",
        (RuleCode.MEDIATION_BY,),
        "Mediations held within 30 days of the authority being told",
        "days",
    ),
    ("agreement_actions", AGREEMENT_RULES, "Agreement actions done by their date", "days"),
)


class DaysBetween(Func):
    """Calendar days from one date column to another, worked out by the database itself (Django's
    own date subtraction calls back into Python for every row on SQLite)."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(end, start)  # the SQL reads "end - start"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(")


def _measure() -> DbCase:
    return DbCase(
        *(When(rule__in=[str(rule) for rule in rules], then=Value(key)) for key, rules, _, _ in TIMELINESS),
        default=Value(""),
        output_field=CharField(),
    )


def tally_timeliness(
    period: Period,
    today: datetime.date,
    calendar: WorkingDayCalendar,
    authority_id: int | None = None,
    *,
    by_authority: bool = True,
) -> Tallies:
    """Dates due in the period (the agreed date where the parties agreed one): done on time, done
    late or still not done after the date, and how long those done took. A date stopped before it
    was met (the case was withdrawn, or the family changed its mind) had nobody to act, so it is
    left out."""
    rules = [str(rule) for _, group, _, _ in TIMELINESS for rule in group]
    due = _scoped(
        Deadline.objects.filter(
            rule__in=rules, effective_due__gte=period.start, effective_due__lte=period.end
        )
        .exclude(met_on__isnull=True, stopped_on__isnull=False)
        .annotate(measure=_measure()),
        "case__local_authority_id",
        authority_id,
    )
    on_time = Q(met_on__lte=F("effective_due"))
    late = Q(met_on__gt=F("effective_due")) | Q(met_on__isnull=True, effective_due__lt=today)
    waiting = Q(met_on__isnull=True, effective_due__gte=today)
    group = _group("case__local_authority_id", by_authority)
    grouping = [group] if group else []

    def key(row: Mapping[str, Any]) -> int | None:
        return row[group] if group else authority_id

    rows = (
        due.order_by()
        .values(*grouping, "measure")
        .annotate(
            # The case, never empty, is in the report index; the deadline's own id is not.
            on_time=Count("case", filter=on_time),
            late=Count("case", filter=late),
            waiting=Count("case", filter=waiting),
            late_cases=Count("case", filter=late, distinct=True),
        )
    )
    tallies: Tallies = {}
    for row in rows:
        tally = tallies.setdefault(key(row), Tally())
        for name in ("on_time", "late", "waiting", "late_cases"):
            tally.counts[f"{row['measure']}:{name}"] += row[name]
    # How long those done took. Calendar days are worked out by the database, so it returns one
    # row for each number of days, not one for each date; working days need the calendar, so for
    # those it returns each pair of dates (read in chunks, not kept).
    units = {key: unit for key, _, _, unit in TIMELINESS}
    done = due.filter(met_on__isnull=False, met_on__gte=F("start")).order_by()
    counted_in_days = [key for key, unit in units.items() if unit == "days"]
    by_days = (
        done.filter(measure__in=counted_in_days)
        .annotate(took=DaysBetween("start", "met_on"))
        .values(*grouping, "measure", "took")
        .annotate(n=Count("case"))
    )
    for row in by_days:
        tally = tallies.setdefault(key(row), Tally())
        tally.spreads.setdefault(row["measure"], Counter())[int(row["took"])] += row["n"]
    by_dates = (
        done.exclude(measure__in=counted_in_days)
        .values(*grouping, "measure", "start", "met_on")
        .annotate(n=Count("case"))
    )
    # Inside a transaction, PostgreSQL streams the rows through a plain cursor; outside one, Django
    # asks for a cursor "WITH HOLD", which PostgreSQL fills in full before the first row (1.2 s of a
    # 3 s report at national scale).
    with contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic():
        for row in by_dates.iterator(chunk_size=2_000):
            tally = tallies.setdefault(key(row), Tally())
            days = calendar.working_days_between(row["start"], row["met_on"])
            tally.spreads.setdefault(row["measure"], Counter())[days] += row["n"]
    return tallies


def median(spread: Counter[int]) -> float | None:
    """The median of a spread of {days: how many}, read from the counts without listing each case."""
    total = sum(spread.values())
    if total == 0:
        return None
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for days in sorted(spread):
        seen += spread[days]
        while middle and middle[0] < seen:
            middle.pop(0)
            found.append(days)
    return sum(found) / len(found)


def timeliness_set(tally: Tally) -> FigureSet:
    counts = tally.counts
    rows: list[Row] = []
    breakdowns: list[Breakdown] = []
    for key, _, label, unit in TIMELINESS:
        on_time, late, waiting = (counts[f"{key}:{name}"] for name in ("on_time", "late", "waiting"))
        spread = tally.spreads.get(key, Counter())
        rows += [
            Row(f"{key}_share", label, Share(on_time, on_time + late)),
            Row(f"{key}_due", "Due in the period, and done or overdue", Number(on_time + late)),
            Row(f"{key}_on_time", "Done on time", Number(on_time)),
            Row(f"{key}_late", "Done late, or overdue and not done", Number(late)),
            Row(f"{key}_late_cases", "Cases with one of these late", Number(counts[f"{key}:late_cases"])),
            Row(f"{key}_waiting", "Due in the period but not yet due today", Number(waiting)),
            Row(
                f"{key}_median",
                f"Median time taken ({unit})",
                Median(median(spread), sum(spread.values()), unit),
            ),
        ]
        breakdowns.append(Breakdown(f"{key}_due", (f"{key}_on_time", f"{key}_late")))
    return FigureSet(
        "timeliness",
        "Timeliness",
        tuple(rows),
        tuple(breakdowns),
        note=(
            "Dates due in the period, counted against the date that applied (a date the parties agreed in "
            "writing where there is one). Certificates are timed in working days from the step that "
            "started the clock; mediations and agreement actions in calendar days."
        ),
    )


def timeliness(
    *, authority: LocalAuthority | None, period: Period, today: datetime.date, calendar: WorkingDayCalendar
) -> FigureSet:
    authority_id = authority.pk if authority else None
    return timeliness_set(
        combined(tally_timeliness(period, today, calendar, authority_id, by_authority=False), authority_id)
    )


# --- SEN2 ----------------------------------------------------------------------------------------


def sen2_year(period: Period) -> Period:
    """SEN2 counts a calendar year: the one the period ends in."""
    return calendar_year(period.end)


def tally_sen2(period: Period, authority_id: int | None = None, *, by_authority: bool = True) -> Tallies:
    """Cases with a mediation held in the year and, from the follow-up survey, whether the family
    answered and whether they appealed to the Tribunal afterwards."""
    start, end = _within(sen2_year(period))
    held = _scoped(
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            starts_at__gte=start,
            starts_at__lt=end,
            route=Meeting.Route.MEDIATION,
        ),
        "case__local_authority_id",
        authority_id,
    )
    Appealed = FollowUpSurvey.Appealed
    group = _group("case__local_authority_id", by_authority)
    if group is None and authority_id is None:
        # The whole service's: each case once (the year's meetings only name them), then its answer.
        # Counting distinct cases over every meeting joined to its case and answer took twice as long.
        cases = Case.objects.filter(pk__in=held.values("case_id")).order_by()
        answered = Q(follow_up__answered_at__isnull=False)
        total = cases.aggregate(
            cases=Count("pk"),
            followed_up=Count("pk", filter=answered),
            appealed=Count("pk", filter=answered & Q(follow_up__appealed=Appealed.YES)),
            not_appealed=Count("pk", filter=answered & Q(follow_up__appealed=Appealed.NO)),
            may_appeal=Count("pk", filter=answered & Q(follow_up__appealed=Appealed.NOT_YET)),
        )
        return _from_rows([total], None, list(total), key=None)
    answered = Q(case__follow_up__answered_at__isnull=False)
    counts = dict(
        cases=Count("case", distinct=True),
        followed_up=Count("case", distinct=True, filter=answered),
        appealed=Count("case", distinct=True, filter=answered & Q(case__follow_up__appealed=Appealed.YES)),
        not_appealed=Count("case", distinct=True, filter=answered & Q(case__follow_up__appealed=Appealed.NO)),
        may_appeal=Count(
            "case", distinct=True, filter=answered & Q(case__follow_up__appealed=Appealed.NOT_YET)
        ),
    )
    names = list(counts)
    if group is None:
        return _from_rows([held.order_by().aggregate(**counts)], None, names, key=authority_id)
    return _from_rows(held.order_by().values(group).annotate(**counts), group, names)


def sen2_set(tally: Tally, year: Period) -> FigureSet:
    counts = tally.counts
    return FigureSet(
        "sen2",
        f"SEN2: calendar year {year.start.year}",
        (
            Row("mediation_cases", "Mediation cases held in the year", Number(counts["cases"])),
            Row(
                "followed_up",
                "Of those, families who answered the follow-up survey",
                Number(counts["followed_up"]),
            ),
            Row("followed_by_appeal", "Followed by an appeal to the Tribunal", Number(counts["appealed"])),
            Row("not_appealed", "Not followed by an appeal", Number(counts["not_appealed"])),
            Row("may_appeal", "No appeal yet, but the family still might", Number(counts["may_appeal"])),
            Row(
                "appeal_share",
                "Share of families who answered who appealed",
                Share(counts["appealed"], counts["followed_up"]),
            ),
        ),
        (Breakdown("followed_up", ("followed_by_appeal", "not_appealed", "may_appeal")),),
        note=(
            "For the SEN2 return to the Department for Education: cases with a mediation held in the year. "
            "Whether an appeal followed is what families told us in the follow-up survey after their case "
            "closed, so it covers only those who answered."
        ),
    )


def sen2(*, authority: LocalAuthority | None, period: Period) -> FigureSet:
    authority_id = authority.pk if authority else None
    return sen2_set(
        combined(tally_sen2(period, authority_id, by_authority=False), authority_id), sen2_year(period)
    )
