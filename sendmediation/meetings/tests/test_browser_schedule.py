"""From "Propose a schedule" to meetings arranged, with the invitations delivered to a real SMTP
server, through the pages, checked with axe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from sendmediation.agreements.tests.test_browser_journeys import (
    OFFICER_EMAIL,
    _authority_told_this_week,
    _venues,
)
from sendmediation.cases.models import Case
from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.meetings.models import Meeting
from sendmediation.meetings.tests.conftest import dr_case
from sendmediation.notifications.services import send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        yield server
    server.stop()


def test_a_coordinator_proposes_a_schedule_and_arranges_it(
    live_server, page, personas, smtp, assert_accessible
):
    _venues()
    mediation = _authority_told_this_week(personas)
    disagreement = dr_case(personas)

    sign_in(page, live_server, "cora", reverse("meetings:schedule"))
    assert page.get_by_text("2 cases waiting for a meeting").is_visible()
    assert_accessible(page, label="propose a schedule")

    page.get_by_role("button", name="Propose a schedule").click()
    assert page.get_by_text("2 meetings proposed").is_visible()
    cards = page.locator(".govuk-summary-card")
    assert cards.count() == 2
    for reference in (mediation.reference, disagreement.reference):
        card = cards.filter(has_text=reference)
        assert "Near Hall" in card.inner_text() and "nearest suitable venue" in card.inner_text()
        assert card.get_by_label(f"Arrange this meeting for {reference}").is_checked()
    assert_accessible(page, label="the proposed schedule")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page, label="the proposed schedule at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Arrange the meetings ticked").click()
    assert page.get_by_role("heading", name="2 meetings arranged").is_visible()
    assert_accessible(page, label="meetings arranged")

    for case in (mediation, disagreement):
        case.refresh_from_db()
        assert case.status == Case.Status.MEETING_ARRANGED
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 2 and meetings[0].starts_at != meetings[1].starts_at  # one family, one mediator

    send_due_messages()
    invitations = [
        m for m in smtp.messages if any(part.get_content_type() == "text/calendar" for part in m.walk())
    ]
    recipients = {address.strip().lower() for m in invitations for address in m["To"].split(",")}
    assert OFFICER_EMAIL in recipients
    family = mediation.parties.family_contact()
    assert family is not None and family.email.lower() in recipients


def test_the_diary_pages_and_the_calendar_link(live_server, page, personas, assert_accessible):
    from sendmediation.meetings import services
    from sendmediation.meetings.tests.conftest import soon

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
    on = when.date().isoformat()
    sign_in(page, live_server, "mina", reverse("meetings:diary") + f"?on={on}")
    assert page.get_by_role("heading", name="Your diary", exact=True).is_visible()
    assert page.get_by_text(f"case {case.reference}").is_visible()
    assert_accessible(page, label="the diary, a week")
    page.get_by_role("link", name="Day", exact=True).click()
    assert page.get_by_text(f"case {case.reference}").is_visible()
    assert_accessible(page, label="the diary, a day")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page, label="the diary, a day, at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Make a calendar link").click()
    link = page.locator(".govuk-panel__body").inner_text().strip()
    assert "/diary-feed/" in link and link.endswith(".ics")
    assert_accessible(page, label="the diary with a new calendar link")
    response = page.request.get(link)
    assert response.status == 200 and f"case {case.reference}" in response.text()


def test_a_mediator_keeps_their_working_days_and_leave(live_server, page, personas, assert_accessible):
    import datetime

    from django.utils import timezone

    from sendmediation.meetings.models import Leave, MediatorDiary

    sign_in(page, live_server, "mina", reverse("meetings:diary"))
    page.get_by_role("link", name="Change your working days and leave").click()
    assert page.get_by_role("heading", name="Your working days and leave").is_visible()
    assert_accessible(page, label="working days and leave")
    page.get_by_label("Monday").uncheck()
    page.get_by_label("Friday").uncheck()
    page.get_by_label("Working day ends").fill("9am")
    page.get_by_role("button", name="Save the working pattern").click()
    assert page.get_by_role("link", name="The working day must end after it starts").is_visible()
    assert_accessible(page, label="working days and leave, with an error")
    page.get_by_label("Working day ends").fill("3:30pm")
    page.get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Save the working pattern").click()
    assert page.get_by_text("Working pattern saved").is_visible()
    diary = MediatorDiary.objects.get(mediator=personas.mediator)
    assert diary.weekdays() == frozenset({1, 2, 3})
    assert (diary.day_ends, diary.max_meetings_a_day) == (datetime.time(15, 30), 1)

    away = timezone.localdate() + datetime.timedelta(days=10)
    for group, day in (("First day", away), ("Last day", away)):
        fieldset = page.get_by_role("group", name=group)
        fieldset.get_by_label("Day").fill(str(day.day))
        fieldset.get_by_label("Month").fill(str(day.month))
        fieldset.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Add the leave").click()
    assert page.get_by_text(f"{away.day} {away:%B %Y}", exact=True).is_visible()
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page, label="working days and leave, at 320 px")
    page.get_by_role("button", name="Take back").click()
    assert page.get_by_text("No leave to come").is_visible()
    assert not Leave.objects.exists()


def test_a_coordinator_records_what_the_family_can_make(live_server, page, personas, assert_accessible):
    case = dr_case(personas)
    sign_in(page, live_server, "cora", reverse("cases:case_detail", args=[case.reference]))
    assert page.get_by_text("Not recorded: taken as any weekday, 9am to 5pm, in person").is_visible()
    page.get_by_role("link", name="Change what the family can make").click()
    assert page.get_by_role("heading", name="What the family can make").is_visible()
    assert_accessible(page, label="what the family can make")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).uncheck()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role(
        "link", name="Choose at least one day of the week the family can meet"
    ).is_visible()
    assert_accessible(page, label="what the family can make, with an error")
    page.get_by_label("Wednesday").check()
    page.get_by_label("Online (video call)").check()
    page.get_by_role("group", name="Does anyone coming with the family need step-free access?").get_by_label(
        "Yes"
    ).check()
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page, label="what the family can make, at 320 px")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Wednesday, 9am to 5pm, in person or online, step-free access").is_visible()
