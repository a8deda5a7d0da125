"""Daily digests: overdue and due within 2 working days, one email per person, with links to cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core import mail

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.reminders import build_digests, queue_deadline_digests, send_daily_reminders
from sendmediation.statutory.calendar import england_calendar

CALENDAR = england_calendar(years=range(2025, 2029))


@dataclass(frozen=True)
class Person:
    pk: int
    email: str
    display_name: str


@dataclass(frozen=True)
class FakeDeadline:
    rule: str
    due: date
    case_reference: str
    assignee: Person | None
    met_on: date | None = None
    agreed_override: date | None = None

    @property
    def case_path(self) -> str:
        return f"/staff/cases/{self.case_reference}/"


CORA = Person(1, "cora@example.org", "Cora Lind")
ADAM = Person(2, "adam@example.org", "Adam Reeve")


def test_overdue_and_due_within_two_working_days_are_grouped_per_person() -> None:
    # Monday 21 Dec 2026: 2 working days ahead is Wednesday 23 Dec (Christmas and Boxing Day follow).
    today = date(2026, 12, 21)
    deadlines = [
        FakeDeadline("certificate_after_advice", date(2026, 12, 18), "KSM-1", CORA),
        FakeDeadline("mediation_by", date(2026, 12, 23), "KSM-2", CORA),
        FakeDeadline("mediation_by", date(2026, 12, 24), "KSM-3", CORA),  # 3 working days ahead
        FakeDeadline("health_notice", date(2026, 12, 21), "KSM-4", ADAM),  # due today
        FakeDeadline("health_notice", date(2026, 12, 1), "KSM-5", ADAM, met_on=date(2026, 11, 30)),
        FakeDeadline("mediation_by", date(2026, 12, 22), "KSM-6", None),  # nobody to remind
    ]

    digests = build_digests(deadlines, today=today, calendar=CALENDAR, site_url="https://example.org")

    assert [digest.email for digest in digests] == ["cora@example.org", "adam@example.org"]
    cora, adam = digests
    assert [item.case_reference for item in cora.overdue] == ["KSM-1"]
    assert cora.overdue[0].label == "Issue the mediation certificate after advice"
    assert [item.case_reference for item in cora.due_soon] == ["KSM-2"]
    assert cora.due_soon[0].case_url == "https://example.org/staff/cases/KSM-2/"
    assert adam.overdue == ()
    assert [item.case_reference for item in adam.due_soon] == ["KSM-4"]


def test_two_working_days_stretch_over_a_weekend_and_bank_holidays() -> None:
    # Thursday 24 Dec 2026: the next working days are Tue 29 and Wed 30 Dec.
    today = date(2026, 12, 24)
    deadlines = [
        FakeDeadline("mediation_by", date(2026, 12, 30), "KSM-1", CORA),
        FakeDeadline("mediation_by", date(2026, 12, 31), "KSM-2", CORA),
    ]

    [digest] = build_digests(deadlines, today=today, calendar=CALENDAR)

    assert [item.case_reference for item in digest.due_soon] == ["KSM-1"]


def test_an_agreed_date_replaces_the_statutory_one() -> None:
    today = date(2026, 6, 1)
    deadlines = [
        FakeDeadline(
            "agreement_non_appealable", date(2026, 5, 20), "KSM-1", CORA, agreed_override=date(2026, 7, 1)
        ),
        FakeDeadline(
            "agreement_non_appealable", date(2026, 7, 1), "KSM-2", CORA, agreed_override=date(2026, 6, 2)
        ),
    ]

    [digest] = build_digests(deadlines, today=today, calendar=CALENDAR)

    assert digest.overdue == ()
    assert [(item.case_reference, item.due) for item in digest.due_soon] == [("KSM-2", date(2026, 6, 2))]


def test_nothing_to_remind_gives_no_digests() -> None:
    deadlines = [FakeDeadline("mediation_by", date(2026, 7, 1), "KSM-1", CORA)]

    assert build_digests(deadlines, today=date(2026, 6, 1), calendar=CALENDAR) == []


@pytest.mark.django_db
def test_one_digest_per_person_per_day_even_when_run_twice(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://mediation.example"
    today = date(2026, 12, 21)
    deadlines = [
        FakeDeadline("certificate_after_advice", date(2026, 12, 18), "KSM-1", CORA),
        FakeDeadline("mediation_by", date(2026, 12, 23), "KSM-2", CORA),
        FakeDeadline("mediation_by", date(2026, 12, 22), "KSM-3", ADAM),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        queue_deadline_digests(deadlines=deadlines, today=today, calendar=CALENDAR)
        queue_deadline_digests(deadlines=deadlines, today=today, calendar=CALENDAR)

    assert OutboxMessage.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["adam@example.org", "cora@example.org"]
    [to_cora] = [message for message in mail.outbox if message.to == ["cora@example.org"]]
    assert to_cora.subject == "Your deadlines: 1 overdue, 1 due soon"
    assert "- KSM-1: Issue the mediation certificate after advice, was due 18 December 2026" in to_cora.body
    assert "  https://mediation.example/staff/cases/KSM-2/" in to_cora.body
    assert "Monday 21 December 2026" in to_cora.body


SOURCE_CALLS: list[date] = []


def fake_source(*, until: date) -> Iterable[FakeDeadline]:
    SOURCE_CALLS.append(until)
    return [FakeDeadline("mediation_by", date(2026, 12, 22), "KSM-3", ADAM)]


@pytest.mark.django_db
def test_the_daily_job_asks_the_casework_source_up_to_the_horizon(settings: Any) -> None:
    settings.NOTIFICATIONS_DEADLINE_SOURCE = f"{__name__}.fake_source"
    SOURCE_CALLS.clear()

    assert send_daily_reminders(today=date(2026, 12, 21)) == 1

    assert [date(2026, 12, 23)] == SOURCE_CALLS
    assert OutboxMessage.objects.get().dedupe_key == "deadline-digest:2:2026-12-21"


@pytest.mark.django_db
def test_no_reminders_on_a_bank_holiday_or_without_a_source(settings: Any) -> None:
    settings.NOTIFICATIONS_DEADLINE_SOURCE = f"{__name__}.fake_source"
    assert send_daily_reminders(today=date(2026, 12, 25)) == 0
    settings.NOTIFICATIONS_DEADLINE_SOURCE = "sendmediation.notifications.tests.no_such_module.deadlines"
    assert send_daily_reminders(today=date(2026, 12, 21)) == 0
    assert OutboxMessage.objects.count() == 0
