"""The synthetic data: plausible, consistent with the rules, and written in bulk."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sendmediation.cases.models import AdviceCall, Case, CaseEvent, Deadline
from sendmediation.statutory.rules import due_date
from sendmediation.statutory.services import base_calendar, current_calendar

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


def test_generated_cases_follow_the_rules(personas, capsys):
    call_command("generate_demo_data", "--cases", "1200", "--today", TODAY.isoformat())
    assert "Made 1,200 cases" in capsys.readouterr().out
    assert Case.objects.count() == 1200
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    for status in ("received", "advice_booked", "certificate_issued", "closed", "withdrawn"):
        assert statuses.get(status, 0) > 0, status
    per_case = Deadline.objects.count() / 1200
    assert 4 < per_case < 12
    assert CaseEvent.objects.filter(kind="opened").count() == 1200
    for row in Deadline.objects.exclude(rule__in=["agreement_as_order", "appeal_by"]).order_by("?")[:200]:
        assert row.due == due_date(row.rule, row.start, base_calendar()), row
    # Closed and withdrawn cases leave nothing running; open ones have something to do.
    assert not Deadline.objects.running().filter(case__status__in=Case.CLOSED_STATUSES).exists()
    assert Deadline.objects.running().exclude(rule__in=["appeal_by"]).exists()
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == 1200 and all(ref.startswith("MED-2026-") for ref in references)


def test_running_it_again_adds_more_without_clashing(personas):
    call_command("generate_demo_data", "--cases", "50", "--today", TODAY.isoformat())
    call_command("generate_demo_data", "--cases", "50", "--today", TODAY.isoformat(), "--seed", "7")
    assert Case.objects.count() == 100


def test_the_demo_cases_load_once(personas, capsys):
    call_command("load_demo_data")
    call_command("load_demo_cases")
    assert "8 made" in capsys.readouterr().out
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        "received",
        "advice_booked",
        "advice_given",
        "certificate_issued",
        "la_notified",
        "mediation_held",
        "withdrawn",
    } <= statuses
    call = AdviceCall.objects.get(held_at__isnull=True)
    assert call.booked_for is not None
    booked_on = timezone.localdate(call.booked_for)
    assert booked_on > timezone.localdate() and current_calendar().is_working_day(booked_on)
    call_command("load_demo_cases")
    assert "0 made, 8 already there" in capsys.readouterr().out
    assert Case.objects.count() == 8


def test_a_demo_call_booked_on_a_friday_is_for_the_monday(personas):
    from sendmediation.cases.management.commands.load_demo_cases import _book
    from sendmediation.cases.tests.builders import case_in

    case = case_in(personas, Case.Status.TRIAGED)
    today = timezone.localdate()
    friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)
    calendar = current_calendar()
    staff = {"coordinator": personas.coordinator, "adviser": personas.adviser}
    call = _book(case, staff, calendar, friday)
    assert isinstance(call, AdviceCall) and call.booked_for is not None
    booked_on = timezone.localdate(call.booked_for)
    # Not the Saturday: the Monday, or later when that Monday is a bank holiday.
    assert booked_on == calendar.next_working_day(friday)
    assert booked_on >= friday + datetime.timedelta(days=3) and booked_on.weekday() < 5
