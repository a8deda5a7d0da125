"""One-off bank holidays: the front doors, the admin that calls them, and the calendar that reads them."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.statutory.models import OneOffHoliday, OneOffHolidaysVersion
from sendmediation.statutory.rules import certificate_after_advice
from sendmediation.statutory.services import (
    CHECK_EVERY_SECONDS,
    CalendarCache,
    OneOffHolidayRefused,
    add_one_off_holiday,
    base_calendar,
    current_calendar,
    remove_one_off_holiday,
)

pytestmark = pytest.mark.django_db

# An ordinary Monday in 2027 (the Spring bank holiday is the Monday before).
PROCLAIMED = date(2027, 6, 7)
NAME = "Bank holiday for the royal visit"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def holiday_keeper(personas):
    """The manager, allowed to add and remove one-off holidays and to use the admin."""
    manager = personas.manager
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    for codename in ("add_oneoffholiday", "delete_oneoffholiday", "view_oneoffholiday"):
        manager.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=manager.pk)  # a fresh instance: permissions are cached per object


def test_a_one_off_holiday_is_not_a_working_day_once_added(
    holiday_keeper, django_capture_on_commit_callbacks
):
    assert current_calendar().is_working_day(PROCLAIMED)
    with django_capture_on_commit_callbacks(execute=True):
        holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=f"  {NAME} ")

    assert holiday.name == NAME
    assert holiday.added_by == holiday_keeper
    assert holiday.added_at is not None
    calendar = current_calendar()
    assert not calendar.is_working_day(PROCLAIMED)
    assert calendar.holiday_name(PROCLAIMED) == NAME
    # The bank holidays from the package are all still there.
    assert set(base_calendar().holidays) < set(calendar.holidays)


def test_deadlines_skip_a_one_off_holiday_and_say_so(holiday_keeper, django_capture_on_commit_callbacks):
    declined = date(2027, 6, 4)  # a Friday
    assert certificate_after_advice(declined, current_calendar()).due == date(2027, 6, 9)
    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)

    deadline = certificate_after_advice(declined, current_calendar())
    assert deadline.due == date(2027, 6, 10)
    assert f"{NAME}, Mon 7 Jun 2027, is not a working day" in deadline.reasons


def test_removing_a_holiday_makes_the_day_a_working_day_again(
    holiday_keeper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    assert not current_calendar().is_working_day(PROCLAIMED)

    with django_capture_on_commit_callbacks(execute=True):
        remove_one_off_holiday(actor=holiday_keeper, holiday=holiday)

    assert not OneOffHoliday.objects.exists()
    assert current_calendar().is_working_day(PROCLAIMED)


def test_removing_a_holiday_twice_changes_nothing_the_second_time(holiday_keeper):
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    remove_one_off_holiday(actor=holiday_keeper, holiday=holiday)
    token = OneOffHolidaysVersion.objects.get().token

    remove_one_off_holiday(actor=holiday_keeper, holiday=holiday)

    assert OneOffHolidaysVersion.objects.get().token == token


def test_each_change_gives_the_version_row_a_new_token(holiday_keeper):
    assert not OneOffHolidaysVersion.objects.exists()
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    first = OneOffHolidaysVersion.objects.get().token
    remove_one_off_holiday(actor=holiday_keeper, holiday=holiday)
    second = OneOffHolidaysVersion.objects.get().token
    add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    third = OneOffHolidaysVersion.objects.get().token

    assert len({first, second, third}) == 3
    assert OneOffHolidaysVersion.objects.count() == 1


def test_another_process_sees_a_new_holiday_within_the_check_interval(
    holiday_keeper, django_assert_num_queries
):
    clock = Clock()
    other_process = CalendarCache(clock=clock)
    before = other_process.calendar()
    assert before.is_working_day(PROCLAIMED)

    add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)

    # Until the interval is up it answers from memory, without touching the database.
    clock.advance(CHECK_EVERY_SECONDS - 0.1)
    with django_assert_num_queries(0):
        assert other_process.calendar() is before
    clock.advance(0.1)
    after = other_process.calendar()
    assert after.holiday_name(PROCLAIMED) == NAME


def test_another_process_sees_a_removal_too(holiday_keeper):
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    clock = Clock()
    other_process = CalendarCache(clock=clock)
    assert not other_process.calendar().is_working_day(PROCLAIMED)

    remove_one_off_holiday(actor=holiday_keeper, holiday=holiday)
    clock.advance(CHECK_EVERY_SECONDS)

    assert other_process.calendar().is_working_day(PROCLAIMED)


def test_an_unchanged_calendar_costs_one_small_query_per_interval_and_is_not_rebuilt(
    holiday_keeper, django_assert_num_queries
):
    add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    clock = Clock()
    cache = CalendarCache(clock=clock)
    built = cache.calendar()

    clock.advance(CHECK_EVERY_SECONDS)
    with django_assert_num_queries(1):
        assert cache.calendar() is built


def test_with_no_one_off_holidays_the_calendar_is_the_england_calendar():
    assert current_calendar() is base_calendar()


def test_a_row_outside_the_calendar_years_widens_the_calendar_rather_than_failing(holiday_keeper):
    # Only a row written around the services can be here; the calendar must still work.
    OneOffHoliday.objects.create(
        date=date(2045, 6, 5), name="Far off", added_by=holiday_keeper, added_at="2026-01-01T00:00Z"
    )
    calendar = CalendarCache().calendar()
    assert calendar.holiday_name(date(2045, 6, 5)) == "Far off"
    assert calendar.holiday_name(date(2026, 12, 25)) == "Christmas Day"


@pytest.mark.parametrize(
    ("when", "name", "field", "message"),
    [
        (PROCLAIMED, "   ", "name", "Enter the name of the bank holiday"),
        (PROCLAIMED, "x" * 101, "name", "Name of the bank holiday must be 100 characters or fewer"),
        (
            date(1999, 6, 7),
            NAME,
            "date",
            "Date of the bank holiday must be between 1 January 2000 and 31 December 2040",
        ),
        (
            date(2027, 6, 5),
            NAME,
            "date",
            "Sat 5 Jun 2027 is at a weekend, so a bank holiday then would change no deadline",
        ),
        (date(2026, 12, 25), NAME, "date", "Fri 25 Dec 2026 is already a bank holiday (Christmas Day)"),
        (
            date(2026, 12, 28),
            NAME,
            "date",
            "Mon 28 Dec 2026 is already a bank holiday (Boxing Day (substitute day))",
        ),
    ],
)
def test_a_holiday_that_would_be_wrong_or_change_nothing_is_refused(
    holiday_keeper, when, name, field, message
):
    with pytest.raises(OneOffHolidayRefused) as refused:
        add_one_off_holiday(actor=holiday_keeper, date=when, name=name)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert not OneOffHoliday.objects.exists()
    assert not OneOffHolidaysVersion.objects.exists()


def test_the_same_day_cannot_be_added_twice(holiday_keeper):
    add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    with pytest.raises(
        OneOffHolidayRefused, match="There is already a one-off bank holiday on Mon 7 Jun 2027"
    ):
        add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name="Again")
    assert OneOffHoliday.objects.count() == 1


def test_staff_without_permission_cannot_add_or_remove_holidays(personas, holiday_keeper):
    with pytest.raises(PermissionDenied):
        add_one_off_holiday(actor=personas.coordinator, date=PROCLAIMED, name=NAME)
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    with pytest.raises(PermissionDenied):
        remove_one_off_holiday(actor=personas.coordinator, holiday=holiday)
    assert OneOffHoliday.objects.get() == holiday


# -- the admin ---------------------------------------------------------------------------------


ADD_URL = reverse("admin:statutory_oneoffholiday_add")
LIST_URL = reverse("admin:statutory_oneoffholiday_changelist")


def test_staff_add_a_holiday_in_the_admin(client, holiday_keeper, django_capture_on_commit_callbacks):
    client.force_login(holiday_keeper)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"date": "2027-06-07", "name": NAME})

    assert response.status_code == 302
    holiday = OneOffHoliday.objects.get()
    assert (holiday.date, holiday.name, holiday.added_by) == (PROCLAIMED, NAME, holiday_keeper)
    assert OneOffHolidaysVersion.objects.exists()  # so it went through the service
    assert current_calendar().holiday_name(PROCLAIMED) == NAME


def test_the_admin_hints_at_the_date_form_its_calendar_writes_and_accepts_it(client, holiday_keeper):
    client.force_login(holiday_keeper)
    assert "For example, 08/05/2023" in client.get(ADD_URL).content.decode()
    assert client.post(ADD_URL, {"date": PROCLAIMED.strftime("%d/%m/%Y"), "name": NAME}).status_code == 302
    assert OneOffHoliday.objects.get().date == PROCLAIMED


def test_the_admin_shows_why_a_holiday_is_refused(client, holiday_keeper):
    client.force_login(holiday_keeper)
    response = client.post(ADD_URL, {"date": "2026-12-25", "name": NAME})

    assert response.status_code == 200
    assert "Fri 25 Dec 2026 is already a bank holiday (Christmas Day)" in response.content.decode()
    assert not OneOffHoliday.objects.exists()


def test_the_admin_refuses_a_second_holiday_on_the_same_day(client, holiday_keeper):
    add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    client.force_login(holiday_keeper)
    response = client.post(ADD_URL, {"date": "2027-06-07", "name": "Again"})

    assert response.status_code == 200
    assert "There is already a one-off bank holiday on Mon 7 Jun 2027" in response.content.decode()
    assert OneOffHoliday.objects.count() == 1


def test_staff_remove_a_holiday_in_the_admin(client, holiday_keeper, django_capture_on_commit_callbacks):
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    token = OneOffHolidaysVersion.objects.get().token
    client.force_login(holiday_keeper)
    url = reverse("admin:statutory_oneoffholiday_delete", args=[holiday.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not OneOffHoliday.objects.exists()
    assert OneOffHolidaysVersion.objects.get().token != token
    assert current_calendar().is_working_day(PROCLAIMED)


def test_staff_remove_several_holidays_with_the_admin_action(client, holiday_keeper):
    holidays = [
        add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME),
        add_one_off_holiday(actor=holiday_keeper, date=date(2028, 6, 5), name="Another"),
    ]
    token = OneOffHolidaysVersion.objects.get().token
    client.force_login(holiday_keeper)
    response = client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [h.pk for h in holidays], "post": "yes"},
    )

    assert response.status_code == 302
    assert not OneOffHoliday.objects.exists()
    assert OneOffHolidaysVersion.objects.get().token != token


def test_a_holiday_cannot_be_edited_in_place(client, holiday_keeper):
    holiday = add_one_off_holiday(actor=holiday_keeper, date=PROCLAIMED, name=NAME)
    client.force_login(holiday_keeper)
    url = reverse("admin:statutory_oneoffholiday_change", args=[holiday.pk])

    assert client.get(url).status_code == 200  # a read-only view
    client.post(url, {"date": "2027-06-08", "name": "Moved"})

    holiday.refresh_from_db()
    assert (holiday.date, holiday.name) == (PROCLAIMED, NAME)
