"""The diary pages (a week, a day) and each person's private calendar link."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from sendmediation.meetings import services
from sendmediation.meetings.diary import create_feed, feed
from sendmediation.meetings.models import DiaryFeed, Leave
from sendmediation.meetings.tests.conftest import dr_case, soon

pytestmark = pytest.mark.django_db


def _online_meeting(personas, case, when):
    services.arrange_meeting(
        actor=personas.coordinator,
        case=case,
        starts_at=when,
        minutes=150,
        format="online",
        online_link="https://meet.example/diary",
        mediator=personas.mediator,
    )


@pytest.fixture
def busy_week(personas):
    case = dr_case(personas)
    when = soon(14, hour=10)
    _online_meeting(personas, case, when)
    day = timezone.localdate(when)
    Leave.objects.create(
        person=personas.mediator,
        first_day=day + datetime.timedelta(days=1),
        last_day=day + datetime.timedelta(days=1),
    )
    return case, day


def test_the_week_shows_meetings_and_leave(personas, client, busy_week):
    case, day = busy_week
    client.force_login(personas.mediator)
    response = client.get(reverse("meetings:diary"), {"on": day.isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"case {case.reference}" in text and "Online (video call)" in text
    if day.weekday() < 4:
        assert "Leave" in text
    day_view = client.get(reverse("meetings:diary"), {"on": day.isoformat(), "view": "day"})
    assert f"case {case.reference}" in day_view.content.decode()
    other_day = client.get(reverse("meetings:diary"), {"on": (day - datetime.timedelta(days=7)).isoformat()})
    assert f"case {case.reference}" not in other_day.content.decode()


def test_a_week_shows_its_weekend_only_when_something_is_on_it(personas, client):
    """A meeting on a Saturday is in its week, not hidden behind a Monday-to-Friday grid; a week with
    nothing at the weekend shows the working days only."""
    case = dr_case(personas)
    first = soon(14).date()
    saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7)
    _online_meeting(
        personas, case, timezone.make_aware(datetime.datetime.combine(saturday, datetime.time(10)))
    )
    client.force_login(personas.mediator)
    monday = saturday - datetime.timedelta(days=5)
    text = client.get(reverse("meetings:diary"), {"on": monday.isoformat()}).content.decode()
    assert f"case {case.reference}" in text
    assert "Saturday" in text and "Sunday" not in text
    quiet = client.get(reverse("meetings:diary"), {"on": (monday + datetime.timedelta(days=7)).isoformat()})
    assert "Saturday" not in quiet.content.decode() and "Friday" in quiet.content.decode()
    a_sunday = (saturday + datetime.timedelta(days=8)).isoformat()
    assert "Sunday" in client.get(reverse("meetings:diary"), {"on": a_sunday}).content.decode()


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01", "2026-13-01", "", "junk"])
def test_a_day_that_is_no_date_or_too_far_away_shows_this_week(personas, client, on):
    client.force_login(personas.mediator)
    response = client.get(reverse("meetings:diary"), {"on": on})
    assert response.status_code == 200
    assert response.context["on"] == timezone.localdate()


def test_only_arrangers_see_someone_elses_diary(personas, client, busy_week):
    case, day = busy_week
    client.force_login(personas.adviser)
    assert client.get(reverse("meetings:diary"), {"person": personas.mediator.username}).status_code == 403
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("meetings:diary"), {"person": personas.mediator.username, "on": day.isoformat()}
    )
    assert response.status_code == 200 and case.reference in response.content.decode()
    client.force_login(personas.la_officer)
    assert client.get(reverse("meetings:diary")).status_code == 403


def test_the_calendar_link_is_private_and_a_new_one_stops_the_old(personas, client, busy_week):
    case, _ = busy_week
    client.force_login(personas.mediator)
    page = client.post(reverse("meetings:diary_feed"))
    url = page.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert DiaryFeed.objects.get(person=personas.mediator).token_sha256 != token  # only the hash is kept

    client.logout()
    response = client.get(reverse("meetings_feed:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert f"Meeting: case {case.reference}" in summaries and "Leave" in summaries
    assert "Khan" not in response.content.decode()  # no names

    newer = create_feed(person=personas.mediator)
    assert client.get(reverse("meetings_feed:feed", args=[token])).status_code == 404
    assert feed(newer) is not None
    client.force_login(personas.mediator)
    client.post(reverse("meetings:diary_feed"), {"stop": "yes"})
    assert feed(newer) is None
    assert client.get(reverse("meetings_feed:feed", args=["made-up"])).status_code == 404
