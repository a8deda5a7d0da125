"""Working days and leave: kept by each person (or by coordinators and managers for anyone), with
the same rules through the page, the service and the admin, and followed by proposed schedules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.cases.tests.builders import MEETING_ARRANGED_AT
from sendmediation.meetings import working_pattern
from sendmediation.meetings.models import Leave, MediatorDiary
from sendmediation.meetings.scheduling.accept import propose_schedule
from sendmediation.meetings.tests.conftest import mediation_case
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

URL = reverse("meetings:working_days")
NINE, FIVE = datetime.time(9, 0), datetime.time(17, 0)


def _pattern(**changes):
    pattern = {
        "weekdays": {1, 3},
        "day_starts": NINE,
        "day_ends": FIVE,
        "max_meetings_a_day": 2,
        "travels_to": [],
    }
    return {**pattern, **changes}


def _ahead(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


# --- the service --------------------------------------------------------------------------------


def test_a_mediator_keeps_their_pattern_and_the_proposal_follows_it(personas, venues):
    mediation_case(personas)
    working_pattern.save_working_pattern(
        actor=personas.mediator,
        person=personas.mediator,
        **_pattern(weekdays={1}, day_starts=datetime.time(13, 0)),
    )
    diary = MediatorDiary.objects.get(mediator=personas.mediator)
    assert (diary.weekdays(), diary.day_starts) == (frozenset({1}), datetime.time(13, 0))
    [placement] = propose_schedule(
        actor=personas.coordinator, now=MEETING_ARRANGED_AT, seconds=2
    ).schedule.placements
    assert placement.starts_at.weekday() == 1 and placement.starts_at.time() == datetime.time(13, 30)


def test_saving_again_changes_the_one_diary_and_where_they_travel(personas):
    kent = personas.other_authority
    working_pattern.save_working_pattern(actor=personas.mediator, person=personas.mediator, **_pattern())
    working_pattern.save_working_pattern(
        actor=personas.coordinator, person=personas.mediator, **_pattern(weekdays={0, 4}, travels_to=[kent])
    )
    diary = MediatorDiary.objects.get(mediator=personas.mediator)
    assert diary.weekdays() == frozenset({0, 4})
    assert list(diary.travels_to.all()) == [kent]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weekdays": set()}, "days", "at least one day"),
        ({"weekdays": {5}}, "days", "Monday to Friday"),
        ({"day_ends": NINE}, "day_ends", "end after it starts"),
        ({"day_starts": FIVE, "day_ends": NINE}, "day_ends", "end after it starts"),
        ({"max_meetings_a_day": 4}, "max_meetings_a_day", "at most 3"),
        ({"max_meetings_a_day": 0}, "max_meetings_a_day", "at least one meeting"),
    ],
)
def test_a_pattern_that_cannot_be_worked_is_refused_in_words(personas, changes, field, words):
    with pytest.raises(InvalidChange) as refused:
        working_pattern.save_working_pattern(
            actor=personas.mediator, person=personas.mediator, **_pattern(**changes)
        )
    assert refused.value.field == field and words in refused.value.message
    assert not MediatorDiary.objects.exists()


def test_the_admin_keeps_the_same_rules(personas):
    """The admin saves through the model's own checks, so it refuses what the page refuses."""
    diary = MediatorDiary(
        mediator=personas.mediator, monday=False, tuesday=False, wednesday=False, thursday=False, friday=False
    )
    with pytest.raises(ValidationError) as refused:
        diary.full_clean()
    assert "at least one day" in str(refused.value)
    too_long = Leave(person=personas.mediator, first_day=_ahead(1), last_day=_ahead(400))
    with pytest.raises(ValidationError) as refused:
        too_long.full_clean()
    assert "a year or less" in str(refused.value)


def test_only_a_mediator_has_a_working_pattern(personas):
    with pytest.raises(InvalidChange, match="Only a mediator"):
        working_pattern.save_working_pattern(actor=personas.adviser, person=personas.adviser, **_pattern())


def test_who_may_change_whose(personas):
    other = make_staff("milo", User.Role.MEDIATOR, first_name="Milo", last_name="Burns")
    for actor in (personas.mediator, personas.coordinator, personas.manager):
        assert working_pattern.may_change(actor, personas.mediator)
    for actor in (other, personas.adviser, personas.la_officer):
        assert not working_pattern.may_change(actor, personas.mediator)
    assert not working_pattern.may_change(personas.coordinator, personas.la_officer)
    with pytest.raises(ActionNotPermitted):
        working_pattern.add_leave(
            actor=other, person=personas.mediator, first_day=_ahead(3), last_day=_ahead(4)
        )


def test_leave_is_added_taken_back_and_checked(personas):
    leave = working_pattern.add_leave(
        actor=personas.adviser, person=personas.adviser, first_day=_ahead(3), last_day=_ahead(5)
    )
    assert working_pattern.leave_from(personas.adviser) == [leave]
    for first, last, words in [
        (_ahead(5), _ahead(3), "same as or after"),
        (_ahead(-9), _ahead(-2), "already ended"),
        (_ahead(1), _ahead(400), "a year or less"),
    ]:
        with pytest.raises(InvalidChange, match=words):
            working_pattern.add_leave(
                actor=personas.adviser, person=personas.adviser, first_day=first, last_day=last
            )
    working_pattern.remove_leave(actor=personas.adviser, person=personas.adviser, leave_id=leave.pk)
    assert working_pattern.leave_from(personas.adviser) == []
    with pytest.raises(InvalidChange, match="not in the diary"):
        working_pattern.remove_leave(actor=personas.adviser, person=personas.adviser, leave_id=leave.pk)


def test_someone_elses_leave_cannot_be_taken_back_through_your_own_diary(personas):
    theirs = Leave.objects.create(person=personas.mediator, first_day=_ahead(3), last_day=_ahead(3))
    with pytest.raises(InvalidChange, match="not in the diary"):
        working_pattern.remove_leave(actor=personas.adviser, person=personas.adviser, leave_id=theirs.pk)
    assert Leave.objects.filter(pk=theirs.pk).exists()


# --- the page -----------------------------------------------------------------------------------


def test_a_mediator_saves_their_pattern_on_the_page(personas, client):
    """The authorities offered are those the service covers (Westminster here, not Kent)."""
    personas.authority.covered_from = datetime.date(2020, 4, 1)
    personas.authority.save()
    client.force_login(personas.mediator)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your working days and leave" in text
    assert "Westminster" in text and "Kent" not in text
    response = client.post(
        URL,
        {
            "form": "pattern",
            "days": ["1", "2"],
            "day_starts": "9:30am",
            "day_ends": "4pm",
            "max_meetings_a_day": "1",
            "travels_to": [str(personas.authority.pk)],
        },
    )
    assert response.status_code == 302
    diary = MediatorDiary.objects.get(mediator=personas.mediator)
    assert diary.weekdays() == frozenset({1, 2})
    assert (diary.day_starts, diary.day_ends, diary.max_meetings_a_day) == (
        datetime.time(9, 30),
        datetime.time(16, 0),
        1,
    )
    assert list(diary.travels_to.all()) == [personas.authority]
    assert "Working pattern saved" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"days": [], "day_starts": "9am", "day_ends": "5pm", "max_meetings_a_day": "2"}, "at least one day"),
        (
            {"days": ["7"], "day_starts": "9am", "day_ends": "5pm", "max_meetings_a_day": "2"},
            "Choose days from Monday to Friday",
        ),
        ({"days": ["0"], "day_starts": "25:00", "day_ends": "5pm", "max_meetings_a_day": "2"}, "like 2pm"),
        (
            {"days": ["0"], "day_starts": "5pm", "day_ends": "9am", "max_meetings_a_day": "2"},
            "end after it starts",
        ),
        (
            {"days": ["0"], "day_starts": "9am", "day_ends": "5pm", "max_meetings_a_day": "9"},
            "Choose 1, 2 or 3 meetings in a day",
        ),
        ({"days": ["0"], "day_starts": "9am", "day_ends": "5pm"}, "most meetings in a day"),
        (
            {
                "days": ["0"],
                "day_starts": "9am",
                "day_ends": "5pm",
                "max_meetings_a_day": "2",
                "travels_to": ["x"],
            },
            "Choose authorities from the list",
        ),
        (
            {
                "days": ["0"],
                "day_starts": "9am",
                "day_ends": "5pm",
                "max_meetings_a_day": "2",
                "travels_to": ["9" * 30],
            },
            "Choose authorities from the list",
        ),
    ],
)
def test_bad_input_on_the_page_is_shown_beside_its_field(personas, client, data, words):
    client.force_login(personas.mediator)
    response = client.post(URL, {"form": "pattern", **data})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and words in text
    assert not MediatorDiary.objects.exists()


def test_leave_on_the_page(personas, client):
    client.force_login(personas.adviser)
    page = client.get(URL).content.decode()
    assert "Working pattern" not in page  # an adviser keeps leave only
    added = client.post(
        URL, {"form": "leave", **_date("first_day", _ahead(3)), **_date("last_day", _ahead(4))}
    )
    assert added.status_code == 302
    [leave] = Leave.objects.filter(person=personas.adviser)
    assert f"{_ahead(3):%-d %B %Y} to {_ahead(4):%-d %B %Y}" in client.get(URL).content.decode()
    bad = client.post(
        URL, {"form": "leave", **_date("first_day", _ahead(3)), "last_day_0": "31", "last_day_1": "2"}
    )
    assert bad.status_code == 400 and "must include a year" in bad.content.decode()
    taken_back = client.post(URL, {"form": "remove", "leave": str(leave.pk)})
    assert taken_back.status_code == 302 and not Leave.objects.exists()
    again = client.post(URL, {"form": "remove", "leave": str(leave.pk)})
    assert again.status_code == 400 and "not in the diary" in again.content.decode()
    nonsense = client.post(URL, {"form": "remove", "leave": "abc"})
    assert nonsense.status_code == 400 and "not in the diary" in nonsense.content.decode()
    huge = client.post(URL, {"form": "remove", "leave": "9" * 30})
    assert huge.status_code == 400 and "not in the diary" in huge.content.decode()
    unknown = client.post(URL, {"form": "something"})
    assert unknown.status_code == 400 and "try again" in unknown.content.decode()


def test_coordinators_keep_anyones_and_others_only_their_own(personas, client):
    client.force_login(personas.coordinator)
    theirs = client.get(URL, {"person": personas.mediator.username})
    assert theirs.status_code == 200 and "Working days and leave of Mina Patel" in theirs.content.decode()
    client.force_login(personas.adviser)
    assert client.get(URL, {"person": personas.mediator.username}).status_code == 403
    assert client.post(f"{URL}?person={personas.mediator.username}", {"form": "leave"}).status_code == 403
    client.force_login(personas.la_officer)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to sign in


def test_a_coordinator_saves_for_the_person_named_not_for_themselves(personas, client):
    client.force_login(personas.coordinator)
    response = client.post(
        f"{URL}?person={personas.mediator.username}",
        {"form": "pattern", "days": ["4"], "day_starts": "9am", "day_ends": "1pm", "max_meetings_a_day": "1"},
    )
    assert response.status_code == 302
    assert MediatorDiary.objects.get().mediator == personas.mediator
    added = client.post(
        f"{URL}?person={personas.mediator.username}",
        {"form": "leave", **_date("first_day", _ahead(3)), **_date("last_day", _ahead(3))},
    )
    assert added.status_code == 302
    assert Leave.objects.get().person == personas.mediator


def test_the_diary_links_to_it_for_any_username(personas, client):
    """A username with "+" in it (an email address) reaches its own page through the link."""
    unusual = make_staff("jo+x@example.org", User.Role.MEDIATOR, first_name="Jo", last_name="Ames")
    client.force_login(unusual)
    diary = client.get(reverse("meetings:diary")).content.decode()
    assert f"{URL}?person=jo%2Bx%40example.org" in diary
    assert client.get(URL, {"person": unusual.username}).status_code == 200
    saved = client.post(
        f"{URL}?person=jo%2Bx%40example.org",
        {"form": "pattern", "days": ["0"], "day_starts": "9am", "day_ends": "5pm", "max_meetings_a_day": "2"},
    )
    assert saved["Location"].endswith("?person=jo%2Bx%40example.org")
    assert client.get(saved["Location"]).status_code == 200
