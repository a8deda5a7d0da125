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


@pytest.fixture
def busy_week(personas):
    case = dr_case(personas)
    when = soon(14, hour=10)
    services.arrange_meeting(
        actor=personas.coordinator,
        case=case,
        starts_at=when,
        minutes=150,
        format="online",
        online_link="https://meet.example/diary",
        mediator=personas.mediator,
    )
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
