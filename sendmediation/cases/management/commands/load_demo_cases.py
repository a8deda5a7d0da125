"""A few fictional cases at different stages, made through the services, so the demo shows casework.

Run after ``load_demo_data`` (which makes the demo staff). Running it again changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import services
from sendmediation.cases.models import AdviceCall, Case, Party
from sendmediation.common.demo import refuse_demo_data_in_production
from sendmediation.intake.journey import RequestAnswers
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.services import record_phone_request
from sendmediation.localities.models import LocalAuthority
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.services import current_calendar

WESTMINSTER = "E09000033"


class Command(BaseCommand):
    help = "Load a few fictional cases at different stages. Safe to run more than once."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_demo_data_in_production()
        staff = {
            user.username: user
            for user in User.objects.filter(username__in=["coordinator", "adviser", "mediator"])
        }
        if len(staff) < 3:
            raise CommandError("Run manage.py load_demo_data first: it makes the demo staff")
        authority = LocalAuthority.objects.get(code=WESTMINSTER)
        today = timezone.localdate()
        calendar = current_calendar()
        made = 0
        for story in STORIES:
            first, last, born = story["child"]
            if Case.objects.filter(
                child_first_name=first, child_last_name=last, child_date_of_birth=born
            ).exists():
                continue
            with transaction.atomic():
                case = services.open_case(
                    actor=staff["coordinator"],
                    local_authority=authority,
                    kind=story["kind"],
                    child_first_name=first,
                    child_last_name=last,
                    child_date_of_birth=born,
                    postcode="SW1A 1AA",
                    decisions=story.get("decisions", ["refused_assessment"]),
                    decision_letter_sent=today - datetime.timedelta(days=story.get("letter_days_ago", 20))
                    if story["kind"] != Case.Kind.DISAGREEMENT_RESOLUTION
                    else None,
                    issues_health=story.get("health", False),
                    family=services.FamilyContact(
                        role=Party.Role.PARENT,
                        name=story["parent"],
                        email=story["email"],
                        phone="07700 900000",
                    ),
                    coordinator=staff["coordinator"],
                    calendar=calendar,
                    received_on=today - datetime.timedelta(days=story.get("received_days_ago", 3)),
                )
                for step in story["steps"]:
                    step(case, staff, calendar, today)
            made += 1
        request_made = _demo_request(staff["coordinator"], today)
        self.stdout.write(
            f"Demo cases: {made} made, {len(STORIES) - made} already there; "
            f"demo request: {'made' if request_made else 'already there'}."
        )


Step = Callable[[Case, dict[str, User], WorkingDayCalendar, datetime.date], object]


def _triage(case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date) -> object:
    return services.triage(actor=staff["coordinator"], case=case)


def _book(case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date) -> object:
    # Advisers phone on working days: the next one, from 10am, one call each half hour.
    day = calendar.next_working_day(today)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    already = AdviceCall.objects.filter(
        adviser=staff["adviser"], held_at__isnull=True, booked_for__gte=start
    ).count()
    return services.book_advice(
        actor=staff["coordinator"],
        case=case,
        adviser=staff["adviser"],
        booked_for=start + datetime.timedelta(minutes=30 * already),
    )


def _advice(outcome: str) -> Step:
    def step(
        case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date
    ) -> object:
        held = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(14))
        )
        return services.record_advice_outcome(
            actor=staff["adviser"], case=case, outcome=outcome, held_at=held, calendar=calendar
        )

    return step


def _certificate(
    case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date
) -> object:
    return services.issue_certificate(actor=staff["adviser"], case=case, calendar=calendar)


def _notify(case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date) -> object:
    return services.notify_la(
        actor=staff["coordinator"], case=case, how="email", person="Jo Patel, SEND casework officer"
    )


def _mediation_held(
    case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date
) -> object:
    return services.record_mediation_held(
        actor=staff["coordinator"],
        case=case,
        held_on=today,
        how="in_person",
        person="The mediator",
        calendar=calendar,
    )


def _dr_consent(
    case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date
) -> object:
    services.add_party(
        actor=staff["coordinator"],
        case=case,
        role=Party.Role.EDUCATION_PROVIDER,
        name="Hill Top Primary School",
    )
    services.seek_dr_consent(actor=staff["coordinator"], case=case)
    parent = case.parties.get(role=Party.Role.PARENT)
    return services.record_dr_consent(actor=staff["coordinator"], case=case, party=parent, consent="yes")


def _withdraw(
    case: Case, staff: dict[str, User], calendar: WorkingDayCalendar, today: datetime.date
) -> object:
    return services.withdraw_case(
        actor=staff["coordinator"], case=case, reason="The family and the school settled it between them"
    )


STORIES: list[dict[str, Any]] = [
    {
        "child": ("Ellie", "Marsh", datetime.date(2016, 2, 14)),
        "parent": "Dana Marsh",
        "email": "dana.marsh@example.org",
        "kind": Case.Kind.MEDIATION,
        "received_days_ago": 1,
        "steps": [],
    },
    {
        "child": ("Rafi", "Begum", datetime.date(2012, 9, 3)),
        "parent": "Nasrin Begum",
        "email": "nasrin.begum@example.org",
        "kind": Case.Kind.ADVICE_ONLY,
        "steps": [_triage, _book],
    },
    {
        "child": ("Tom", "Walsh", datetime.date(2014, 6, 21)),
        "parent": "Kerry Walsh",
        "email": "kerry.walsh@example.org",
        "kind": Case.Kind.MEDIATION,
        "decisions": ["provision", "placement"],
        "steps": [_triage, _book, _advice("declines_mediation")],
    },
    {
        "child": ("Maya", "Osei", datetime.date(2010, 11, 30)),
        "parent": "Grace Osei",
        "email": "grace.osei@example.org",
        "kind": Case.Kind.MEDIATION,
        "letter_days_ago": 40,
        "received_days_ago": 10,
        "steps": [_triage, _book, _advice("declines_mediation"), _certificate],
    },
    {
        "child": ("Leo", "Fernandes", datetime.date(2015, 4, 8)),
        "parent": "Ana Fernandes",
        "email": "ana.fernandes@example.org",
        "kind": Case.Kind.MEDIATION,
        "health": True,
        "decisions": ["needs", "health_care"],
        "steps": [_triage, _book, _advice("wants_mediation"), _notify],
    },
    {
        "child": ("Noor", "Haddad", datetime.date(2013, 10, 2)),
        "parent": "Layla Haddad",
        "email": "layla.haddad@example.org",
        "kind": Case.Kind.MEDIATION,
        "decisions": ["provision"],
        "steps": [_triage, _book, _advice("wants_mediation"), _notify, _mediation_held],
    },
    {
        "child": ("Ivy", "Chen", datetime.date(2017, 1, 19)),
        "parent": "Wei Chen",
        "email": "wei.chen@example.org",
        "kind": Case.Kind.DISAGREEMENT_RESOLUTION,
        "decisions": [],
        "steps": [_triage, _dr_consent],
    },
    {
        "child": ("Sam", "Doyle", datetime.date(2011, 7, 7)),
        "parent": "Pat Doyle",
        "email": "pat.doyle@example.org",
        "kind": Case.Kind.MEDIATION,
        "steps": [_triage, _withdraw],
    },
]


def _demo_request(actor: User, today: datetime.date) -> bool:
    if HelpRequest.objects.filter(
        child_name="Zac Ahmed", child_date_of_birth=datetime.date(2013, 3, 12)
    ).exists():
        return False
    record_phone_request(
        actor=actor,
        answers=RequestAnswers(
            who=HelpRequest.Who.PARENT,
            help_wanted=HelpRequest.HelpWanted.MEDIATION,
            child_name="Zac Ahmed",
            child_date_of_birth=datetime.date(2013, 3, 12),
            postcode="SW1A 1AA",
            contact_name="Samira Ahmed",
            phone="07700 900321",
            email="samira.ahmed@example.org",
            decisions=(HelpRequest.Decision.REFUSED_ASSESSMENT,),
            decision_letter_date=today - datetime.timedelta(days=12),
        ),
    )
    return True
