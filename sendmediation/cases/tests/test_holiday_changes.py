"""A one-off bank holiday added or removed moves the running dates on open cases, and says so."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines
from sendmediation.cases.models import Case, CaseEvent
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.timeline import describe
from sendmediation.statutory.models import OneOffHoliday
from sendmediation.statutory.services import add_one_off_holiday, base_calendar, remove_one_off_holiday

pytestmark = pytest.mark.django_db

Status = Case.Status
HOLIDAY = datetime.date(2026, 10, 7)  # a Wednesday inside the certificate's three working days


@pytest.fixture
def keeper(personas):
    manager = personas.manager
    for codename in ("add_oneoffholiday", "delete_oneoffholiday"):
        manager.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=manager.pk)


def test_adding_and_removing_a_holiday_moves_a_running_deadline_and_back(
    personas, keeper, django_capture_on_commit_callbacks
):
    running = case_in(personas, Status.ADVICE_GIVEN)  # declined on Tuesday 6 October 2026
    certificate_due = running.deadlines.get(rule="certificate_after_advice")
    assert certificate_due.due == datetime.date(2026, 10, 9)
    met = case_in(personas, Status.CERTIFICATE_ISSUED)  # its certificate deadline was met: history
    met_before = met.deadlines.get(rule="certificate_after_advice").due

    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=keeper, date=HOLIDAY, name="Royal proclamation day")

    certificate_due.refresh_from_db()
    assert certificate_due.due == datetime.date(2026, 10, 12)
    assert any("Royal proclamation day" in reason for reason in certificate_due.reasons)
    event = running.events.get(kind=CaseEvent.Kind.DEADLINES_RECALCULATED)
    assert event.actor is None
    assert event.data["moved"] == [
        {"rule": "certificate_after_advice", "from": "2026-10-09", "to": "2026-10-12"}
    ]
    line = describe(event)
    assert line.startswith("A one-off bank holiday on Wed 7 Oct 2026 was added.")
    assert "Fri 9 Oct 2026 is now Mon 12 Oct 2026" in line
    assert met.deadlines.get(rule="certificate_after_advice").due == met_before
    assert not met.events.filter(kind=CaseEvent.Kind.DEADLINES_RECALCULATED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        remove_one_off_holiday(actor=keeper, holiday=OneOffHoliday.objects.get(date=HOLIDAY))

    certificate_due.refresh_from_db()
    assert certificate_due.due == datetime.date(2026, 10, 9)
    removed = running.events.filter(kind=CaseEvent.Kind.DEADLINES_RECALCULATED).order_by("-id").first()
    assert removed is not None and removed.data["added"] is False
    assert "was removed" in describe(removed)


def test_a_holiday_outside_every_running_window_changes_nothing(
    personas, keeper, django_capture_on_commit_callbacks
):
    case = case_in(personas, Status.ADVICE_GIVEN)
    before = list(case.deadlines.values_list("rule", "due", "reasons"))
    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=keeper, date=datetime.date(2027, 6, 9), name="A day next summer")
    assert list(case.deadlines.values_list("rule", "due", "reasons")) == before
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.DEADLINES_RECALCULATED).exists()


def test_a_holiday_moves_a_date_counted_back_from_a_later_one(
    personas, keeper, django_capture_on_commit_callbacks
):
    """Notice of a meeting is due 5 working days before it: a holiday in between brings it forward."""
    case = case_in(personas, Status.LA_NOTIFIED)
    # Far enough ahead that no other running date on the case spans the holiday.
    meeting = datetime.date(2027, 2, 17)  # a Wednesday
    notice = deadlines.start_deadline(case, "meeting_notice", meeting, calendar=base_calendar())
    assert notice.due == datetime.date(2027, 2, 10)
    assert not case.deadlines.running().exclude(rule="meeting_notice").filter(due__gte="2027-02-12").exists()

    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=keeper, date=datetime.date(2027, 2, 12), name="Royal proclamation day")

    notice.refresh_from_db()
    assert notice.due == datetime.date(2027, 2, 9)
    event = case.events.get(kind=CaseEvent.Kind.DEADLINES_RECALCULATED)
    assert {"rule": "meeting_notice", "from": "2027-02-10", "to": "2027-02-09"} in event.data["moved"]
