"""Synthetic casework at national scale, written with bulk inserts, for benchmarks and load tests.

Every name is invented. Each case follows the path a real one would (advice, then a certificate,
or mediation with a meeting and an agreement; or disagreement resolution), as far as its age allows,
so that statuses, running deadlines and overdue ones come in realistic proportions. Due dates come
from ``DeadlineTable``, which gives the same answers as the statutory rules. The reasons are left
empty: they are written by the services for real cases.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F, Field, Model
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.deadlines import working_days_late
from sendmediation.cases.models import Case, CaseEvent, Deadline, Party, SearchWord
from sendmediation.cases.models.case import new_family_access_key
from sendmediation.cases.references import format_reference
from sendmediation.cases.search import words_for
from sendmediation.intake.models import REFERENCE_PREFIX, ReferenceCounter
from sendmediation.localities.models import LocalAuthority
from sendmediation.statutory.bulk import DeadlineTable
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import ORDER_TYPES, RuleCode

SCALES = {"small": 2_000, "regional": 20_000, "national": 150_000}
BATCH = 5_000
DEMO_PREFIX = "demo-"
STAFF = {User.Role.COORDINATOR: 20, User.Role.ADVISER: 60, User.Role.MEDIATOR: 80}

_FIRST_NAMES = """
Aaliyah Aaron Abdul Ada Adam Aisha Alfie Amara Amir Ava Ben Bella Caleb Chloe Daniel Dev Ella
Elijah Emily Ezra Freya George Grace Hana Harry Isla Jack Jade Jamal Kai Layla Leo Lily Luca Maya
Mia Noah Nia Oliver Olivia Omar Priya Ravi Rosa Ruby Sam Sara Theo Toby Yusuf Zara Zoe
"""
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = """
Ahmed Ali Baker Bennett Brown Campbell Clarke Davies Edwards Evans Green Hall Harris Hughes Hussain
Jackson James Johnson Jones Khan Kowalski Lewis Martin Mensah Miah Moore Morgan Murphy Nowak Okafor
Owen Patel Price Roberts Robinson Shah Singh Smith Taylor Thomas Thompson Turner Walker Ward Watson
White Williams Wilson Wood Wright Young
"""
LAST_NAMES = tuple(_LAST_NAMES.split())
DECISIONS = ("refused_assessment", "refused_plan", "needs", "provision", "placement", "cease", "health_care")
Status = Case.Status
# Pairs of order types whose steps have different names, so both fit on one case.
ORDER_PAIRS = (
    ("assess", "amend"),
    ("make_plan", "name_school"),
    ("assess", "name_school"),
    ("make_plan", "amend"),
)
CLOSABLE = (Status.CERTIFICATE_ISSUED, Status.CONSENT_GIVEN, Status.CONSENT_REFUSED, Status.ADVICE_GIVEN)


class Row(NamedTuple):
    """A deadline the case's story started, before its due date is worked out."""

    rule: str
    step: str
    start: datetime.date
    met_on: datetime.date | None
    stopped_on: datetime.date | None
    order: str
    certificate_issued: datetime.date | None


@dataclass
class Plan:
    """One synthetic case before it is written: its facts and the deadlines its history started."""

    case: Case
    certificate_issued: datetime.date | None = None
    events: list[tuple[datetime.date, str, dict[str, object]]] = field(default_factory=list)
    deadlines: list[Row] = field(default_factory=list)


def _weights(authorities: list[LocalAuthority], rng: random.Random) -> list[float]:
    """A long tail: most authorities are middling, a few large; Kent about 17 times the median."""
    weights = [rng.lognormvariate(0, 0.6) for _ in authorities]
    median = sorted(weights)[len(weights) // 2]
    for index, authority in enumerate(authorities):
        if authority.code == "E10000016":
            weights[index] = 17 * median
    return weights


def demo_staff() -> dict[str, list[User]]:
    """Fictional staff to assign cases to; made once, found again on later runs."""
    people: dict[str, list[User]] = {}
    for role, count in STAFF.items():
        existing = list(User.objects.filter(username__startswith=f"{DEMO_PREFIX}{role}-").order_by("id"))
        missing = [
            User(
                username=f"{DEMO_PREFIX}{role}-{n:03d}",
                role=role,
                first_name=role.title(),
                last_name=f"{n:03d}",
            )
            for n in range(len(existing) + 1, count + 1)
        ]
        for user in missing:
            user.set_unusable_password()
        User.objects.bulk_create(missing)
        people[role] = list(User.objects.filter(username__startswith=f"{DEMO_PREFIX}{role}-").order_by("id"))
    return people


class Generator:
    def __init__(self, *, calendar: WorkingDayCalendar, today: datetime.date, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, not secrets
        self.today = today
        self.calendar = calendar
        self.table = DeadlineTable(calendar)
        self.authorities = list(LocalAuthority.objects.order_by("code"))
        self.weights = _weights(self.authorities, self.rng)
        self.staff = demo_staff()

    def _working_after(self, day: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(day, n)

    def plan(self, reference: str) -> Plan:
        rng = self.rng
        received = self.today - datetime.timedelta(days=rng.randint(0, 730))
        kind = rng.choices(
            [Case.Kind.MEDIATION, Case.Kind.ADVICE_ONLY, Case.Kind.DISAGREEMENT_RESOLUTION],
            [0.55, 0.35, 0.10],
        )[0]
        is_dr = kind == Case.Kind.DISAGREEMENT_RESOLUTION
        letter = None if is_dr else received - datetime.timedelta(days=rng.randint(1, 55))
        decisions = [] if is_dr else rng.sample(DECISIONS, rng.choice((1, 1, 2, 3)))
        case = Case(
            reference=reference,
            kind=kind,
            status=Status.RECEIVED,
            local_authority=rng.choices(self.authorities, self.weights)[0],
            child_first_name=rng.choice(FIRST_NAMES),
            child_last_name=rng.choice(LAST_NAMES),
            child_date_of_birth=received - datetime.timedelta(days=rng.randint(3 * 365, 24 * 365)),
            postcode=self._postcode(),
            decisions=decisions,
            decision_letter_sent=letter,
            issues_education=True,
            issues_health="health_care" in decisions or rng.random() < 0.4,
            issues_social_care=rng.random() < 0.1,
            received_on=received,
            coordinator=rng.choice(self.staff[User.Role.COORDINATOR]),
        )
        plan = Plan(case)
        plan.events.append((received, CaseEvent.Kind.OPENED, {"to": Status.RECEIVED, "source": "request"}))
        if letter is not None:
            plan.deadlines.append(self._row(RuleCode.CONTACT_ADVISER_BY, letter, received))
        self._walk(plan, is_dr)
        if letter is not None:
            plan.deadlines.append(
                Row(RuleCode.APPEAL_BY, "", letter, None, None, "", plan.certificate_issued)
            )
        if case.status in Case.CLOSED_STATUSES:
            plan.deadlines = [
                row if row.met_on else row._replace(stopped_on=case.closed_on) for row in plan.deadlines
            ]
        return plan

    def _postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        outward = self.rng.choice(("SW1A", "CT1", "M1", "B1", "LS1", "NE1", "BS1", "NG1"))
        return f"{outward} {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def _row(
        self, rule: str, start: datetime.date, done: datetime.date | None, *, step: str = "", order: str = ""
    ) -> Row:
        """A deadline started on ``start``, met on ``done`` if that day has come."""
        met = done if done is not None and done <= self.today else None
        return Row(rule, step, start, met, None, order, None)

    def _move(self, plan: Plan, day: datetime.date, status: str, kind: str, **data: object) -> bool:
        """Move the case on if ``day`` has come; False means the story stops here, today."""
        if day > self.today:
            return False
        plan.events.append((day, kind, {"from": plan.case.status, "to": status, **data}))
        plan.case.status = status
        return True

    def _walk(self, plan: Plan, is_dr: bool) -> None:
        rng, case = self.rng, plan.case
        day = case.received_on + datetime.timedelta(days=rng.randint(0, 3))
        if not self._move(plan, day, Status.TRIAGED, CaseEvent.Kind.TRIAGED):
            return
        if is_dr:
            self._walk_dr(plan, day)
        else:
            self._walk_advice(plan, day)
        if case.status in Case.CLOSED_STATUSES:
            return
        end = day + datetime.timedelta(days=rng.randint(30, 90))
        if rng.random() < 0.06:
            if self._move(
                plan, end, Status.WITHDRAWN, CaseEvent.Kind.WITHDRAWN, reason="The family withdrew"
            ):
                case.status_before_closing = str(plan.events[-1][2]["from"])
                case.closed_on = end
        elif case.status in (
            Status.CERTIFICATE_ISSUED,
            Status.CONSENT_GIVEN,
            Status.CONSENT_REFUSED,
            Status.ADVICE_GIVEN,
        ):
            before = case.status
            if self._move(plan, end, Status.CLOSED, CaseEvent.Kind.CLOSED, outcome=self._outcome(before)):
                case.status_before_closing, case.closed_on, case.outcome = before, end, self._outcome(before)

    def _outcome(self, status: str) -> str:
        outcomes: dict[str, str] = {
            Status.CERTIFICATE_ISSUED: Case.Outcome.CERTIFICATE_ISSUED,
            Status.CONSENT_REFUSED: Case.Outcome.CONSENT_REFUSED,
            Status.CONSENT_GIVEN: Case.Outcome.AGREEMENT_REACHED,
        }
        return outcomes.get(status, Case.Outcome.ADVICE_ONLY)

    def _walk_advice(self, plan: Plan, triaged: datetime.date) -> None:
        rng, case = self.rng, plan.case
        adviser = rng.choice(self.staff[User.Role.ADVISER])
        booked = triaged + datetime.timedelta(days=rng.randint(0, 4))
        if not self._move(plan, booked, Status.ADVICE_BOOKED, CaseEvent.Kind.ADVICE_BOOKED):
            return
        case.adviser = adviser
        held = booked + datetime.timedelta(days=rng.randint(1, 7))
        wants = rng.random() < (0.42 if case.kind == Case.Kind.ADVICE_ONLY else 0.9)
        if not self._move(plan, held, Status.ADVICE_GIVEN, CaseEvent.Kind.ADVICE_GIVEN):
            return
        if not wants:
            issued = held + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3, 4)))
            plan.deadlines.append(self._row(RuleCode.CERTIFICATE_AFTER_ADVICE, held, issued))
            if self._move(plan, issued, Status.CERTIFICATE_ISSUED, CaseEvent.Kind.CERTIFICATE_ISSUED):
                plan.certificate_issued = issued
            return
        case.kind = Case.Kind.MEDIATION
        self._move(plan, held, Status.MEDIATION_REQUESTED, CaseEvent.Kind.MEDIATION_REQUESTED)
        meeting = held + datetime.timedelta(days=rng.randint(12, 34))
        plan.deadlines.append(self._row(RuleCode.MEDIATION_BY, held, meeting))
        if case.issues_health:
            told = self._working_after(held, rng.randint(1, 4))
            plan.deadlines.append(self._row(RuleCode.HEALTH_NOTICE, held, told))
        notified = held + datetime.timedelta(days=rng.randint(0, 3))
        if not self._move(plan, notified, Status.LA_NOTIFIED, CaseEvent.Kind.LA_NOTIFIED):
            return
        case.mediator = rng.choice(self.staff[User.Role.MEDIATOR])
        notice_given = meeting - datetime.timedelta(days=rng.randint(7, 12))
        plan.deadlines.append(self._row(RuleCode.MEETING_NOTICE, meeting, notice_given))
        if meeting > self.today:
            return
        # The meetings issue adds the statuses in between; here the story jumps to the certificate.
        issued = self._working_after(meeting, rng.choice((0, 1, 2, 3)))
        plan.deadlines.append(self._row(RuleCode.CERTIFICATE_AFTER_MEDIATION, meeting, issued))
        if rng.random() < 0.85:
            rules = [(RuleCode.AGREEMENT_NON_APPEALABLE, 2)]
            if case.decisions == ["health_care"]:
                # Only health was in dispute, so the authority was not a party: the ICB tells it.
                rules.append((RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA, 1))
            for rule, weeks in rules:
                done = meeting + datetime.timedelta(days=rng.randint(3, 7 * weeks + 2))
                plan.deadlines.append(self._row(rule, meeting, done))
            # An agreement often settles two things: the plan's contents and the school named.
            orders = rng.choice(ORDER_PAIRS) if rng.random() < 0.5 else (rng.choice(list(ORDER_TYPES)),)
            for order, step in ((kind, step) for kind in orders for step in ORDER_TYPES[kind].steps):
                done = meeting + datetime.timedelta(weeks=step.weeks, days=-rng.randint(0, 10))
                plan.deadlines.append(
                    self._row(RuleCode.AGREEMENT_AS_ORDER, meeting, done, step=step.slug, order=order)
                )
        if self._move(plan, issued, Status.CERTIFICATE_ISSUED, CaseEvent.Kind.CERTIFICATE_ISSUED):
            plan.certificate_issued = issued

    def _walk_dr(self, plan: Plan, triaged: datetime.date) -> None:
        rng = self.rng
        asked = triaged + datetime.timedelta(days=rng.randint(0, 3))
        if not self._move(plan, asked, Status.CONSENT_PENDING, CaseEvent.Kind.DR_CONSENT_SOUGHT):
            return
        answered = asked + datetime.timedelta(days=rng.randint(3, 20))
        outcome = Status.CONSENT_GIVEN if rng.random() < 0.7 else Status.CONSENT_REFUSED
        if not self._move(plan, answered, outcome, CaseEvent.Kind.DR_CONSENT_RECORDED):
            return
        if outcome == Status.CONSENT_GIVEN:
            plan.case.mediator = rng.choice(self.staff[User.Role.MEDIATOR])
            meeting = answered + datetime.timedelta(days=rng.randint(10, 30))
            plan.deadlines.append(
                self._row(RuleCode.MEETING_NOTICE, meeting, meeting - datetime.timedelta(days=8))
            )

    # -- writing ---------------------------------------------------------------------------------

    def _due_dates(self, plans: list[Plan]) -> list[list[datetime.date]]:
        """Every planned deadline's due date, a rule at a time through the look-up tables."""
        by_rule: dict[str, list[tuple[int, int]]] = {}
        for p, plan in enumerate(plans):
            for d, row in enumerate(plan.deadlines):
                by_rule.setdefault(row.rule, []).append((p, d))
        dues: list[list[datetime.date]] = [[self.today] * len(plan.deadlines) for plan in plans]
        for rule, places in by_rule.items():
            rows = [plans[p].deadlines[d] for p, d in places]
            starts = [row.start for row in rows]
            if rule == RuleCode.AGREEMENT_AS_ORDER:
                steps = self.table.order_due_dates(starts, [row.order for row in rows])
                results = [
                    steps[i][[step.slug for step in ORDER_TYPES[row.order].steps].index(row.step)]
                    for i, row in enumerate(rows)
                ]
            elif rule == RuleCode.APPEAL_BY:
                issued = [row.certificate_issued for row in rows]
                results = self.table.due_dates(rule, starts, certificates_issued=issued)
            else:
                results = self.table.due_dates(rule, starts)
            for (p, d), due in zip(places, results, strict=True):
                dues[p][d] = due
        return dues

    def write(self, plans: list[Plan]) -> tuple[int, int]:
        """Insert a batch with plain INSERTs: building a model object per row would take most of the time."""
        ops = connection.ops
        day = ops.adapt_datefield_value
        now = ops.adapt_datetimefield_value(timezone.now())
        with transaction.atomic():
            _insert(
                Case,
                [
                    "reference",
                    "kind",
                    "status",
                    "status_before_closing",
                    "local_authority",
                    "child_first_name",
                    "child_last_name",
                    "child_date_of_birth",
                    "postcode",
                    "summary",
                    "decisions",
                    "decision_letter_sent",
                    "issues_education",
                    "issues_health",
                    "issues_social_care",
                    "coordinator",
                    "adviser",
                    "mediator",
                    "received_on",
                    "closed_on",
                    "outcome",
                    "family_access_key",
                    "created_at",
                    "updated_at",
                    "authority_told",
                    "authority_is_party",
                ],
                [
                    (
                        c.reference,
                        c.kind,
                        c.status,
                        c.status_before_closing,
                        c.local_authority_id,
                        c.child_first_name,
                        c.child_last_name,
                        day(c.child_date_of_birth),
                        c.postcode,
                        "",
                        json.dumps(c.decisions),
                        day(c.decision_letter_sent),
                        c.issues_education,
                        c.issues_health,
                        c.issues_social_care,
                        c.coordinator_id,
                        c.adviser_id,
                        c.mediator_id,
                        day(c.received_on),
                        day(c.closed_on),
                        c.outcome,
                        new_family_access_key(),
                        now,
                        now,
                        any(kind in CaseEvent.AUTHORITY_TOLD for _, kind, _ in plan.events),
                        False,  # no officer of the authority is added as a party
                    )
                    for plan in plans
                    for c in (plan.case,)
                ],
            )
            ids = dict(
                Case.objects.filter(
                    reference__gte=plans[0].case.reference, reference__lte=plans[-1].case.reference
                ).values_list("reference", "id")
            )
            case_ids = [ids[plan.case.reference] for plan in plans]
            dues = self._due_dates(plans)
            deadlines = [
                (
                    case_id,
                    row.rule,
                    row.step,
                    day(row.start),
                    day(due),
                    day(row.met_on),
                    None
                    if row.met_on is None
                    else working_days_late(due, row.met_on, calendar=self.calendar),
                    day(row.stopped_on),
                    "[]",
                    "",
                )
                for case_id, plan, plan_dues in zip(case_ids, plans, dues, strict=True)
                for row, due in zip(plan.deadlines, plan_dues, strict=True)
            ]
            _insert(
                Deadline,
                [
                    "case",
                    "rule",
                    "step",
                    "start",
                    "due",
                    "met_on",
                    "working_days_late",
                    "stopped_on",
                    "reasons",
                    "agreed_override_note",
                ],
                deadlines,
            )
            parents = [f"{self.rng.choice(FIRST_NAMES)} {plan.case.child_last_name}" for plan in plans]
            _insert(
                Party,
                [
                    "case",
                    "role",
                    "name",
                    "organisation",
                    "email",
                    "phone",
                    "address",
                    "dr_consent",
                    "added_at",
                ],
                [
                    (
                        case_id,
                        Party.Role.PARENT,
                        parent,
                        "",
                        "",
                        "",
                        "",
                        Party.Consent.PENDING,
                        now,
                    )
                    for case_id, parent in zip(case_ids, parents, strict=True)
                ],
            )
            _insert(
                SearchWord,
                ["case", "word", "received_on"],
                [
                    (case_id, word, plan.case.received_on)
                    for case_id, plan, parent in zip(case_ids, plans, parents, strict=True)
                    for word in sorted(
                        words_for([plan.case.child_first_name, plan.case.child_last_name, parent])
                    )
                ],
            )
            _insert(
                CaseEvent,
                ["case", "kind", "at", "data"],
                [
                    (case_id, kind, ops.adapt_datetimefield_value(_at(when)), json.dumps(data))
                    for case_id, plan in zip(case_ids, plans, strict=True)
                    for when, kind, data in plan.events
                ],
            )
        return len(plans), len(deadlines)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return connection.ops.quote_name(field.column)


def _insert(model: type[Model], fields: list[str], rows: Sequence[Sequence[Any]]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, name) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a row-by-row INSERT over the socket makes national scale take half an hour.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 5_000):
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
            cursor.executemany(sql, rows[start : start + 5_000])


def _references(count: int, year: int) -> Iterator[str]:
    """Reserve ``count`` MED references for ``year`` in the shared sequence, in one step."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last_number=0)], ignore_conflicts=True)
    with transaction.atomic():
        ReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + count)
        last = ReferenceCounter.objects.values_list("last_number", flat=True).get(year=year)
    for number in range(last - count + 1, last + 1):
        yield format_reference(REFERENCE_PREFIX, year, number)


def generate(
    *,
    count: int,
    calendar: WorkingDayCalendar,
    today: datetime.date,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write ``count`` synthetic cases; returns (cases, deadlines) written."""
    generator = Generator(calendar=calendar, today=today, seed=seed)
    references = _references(count, today.year)
    written_cases = written_deadlines = 0
    while written_cases < count:
        size = min(BATCH, count - written_cases)
        plans = [generator.plan(next(references)) for _ in range(size)]
        cases, deadlines = generator.write(plans)
        written_cases += cases
        written_deadlines += deadlines
        if progress:
            progress(written_cases, written_deadlines)
    return written_cases, written_deadlines
