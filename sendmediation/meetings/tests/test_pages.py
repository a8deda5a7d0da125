"""The meeting pages, the case page, My work and the family's page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import services as casework
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case
from sendmediation.meetings import services
from sendmediation.meetings.models import Meeting
from sendmediation.meetings.tests.conftest import dr_case, mediation_case, soon
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

LINK = "https://meet.example/secret-room"


def signed_in(client, user):
    client.force_login(user)
    return client


def form(personas, when: datetime.datetime, **changes):
    local = timezone.localtime(when)
    values = {
        "day_0": str(local.day),
        "day_1": str(local.month),
        "day_2": str(local.year),
        "time": local.strftime("%H:%M"),
        "minutes": "150",
        "format": "online",
        "online_link": LINK,
        "mediator": str(personas.mediator.pk),
    }
    values.update(changes)
    return values


def arranged(personas, case, **changes) -> Meeting:
    values = {
        "actor": personas.coordinator,
        "case": case,
        "starts_at": soon(14),
        "minutes": 150,
        "format": "online",
        "online_link": LINK,
        "mediator": personas.mediator,
    }
    values.update(changes)
    return services.arrange_meeting(**values)


def test_the_arrange_page_lists_venues_nearest_first_with_distance_and_step_free(personas, client, venues):
    case = dr_case(personas)
    page = signed_in(client, personas.coordinator).get(reverse("meetings:arrange", args=[case.reference]))
    assert page.status_code == 200
    text = page.content.decode()
    near, middle, far = (text.index(name) for name in ("Near Hall", "Middle House", "Far Centre"))
    assert near < middle < far
    assert "Closed Rooms" not in text
    assert "km away, step-free access" in text and "no step-free access" in text


def test_arranging_through_the_page(personas, client, venues):
    case = dr_case(personas)
    client = signed_in(client, personas.coordinator)
    response = client.post(
        reverse("meetings:arrange", args=[case.reference]),
        form(
            personas,
            soon(14),
            format="in_person",
            venue=str(venues["near"].pk),
            online_link="",
            room=str(venues["garden"].pk),
            supporters="Dee Advocate",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = case.meetings.get()
    assert meeting.venue == venues["near"] and meeting.room == venues["garden"]
    page = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Near Hall" in page and "Confirmed" in page and "Dee Advocate" in page


def test_errors_show_beside_the_field_with_a_summary(personas, client, venues):
    case = dr_case(personas)
    response = signed_in(client, personas.coordinator).post(
        reverse("meetings:arrange", args=[case.reference]),
        form(personas, soon(14), format="in_person", online_link=""),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and 'href="#id_venue"' in text
    assert "Choose the venue for a meeting in person" in text
    assert "govuk-form-group--error" in text
    assert not case.meetings.exists()


def test_a_time_already_passed_is_refused_by_the_form(personas, client):
    case = dr_case(personas)
    response = signed_in(client, personas.coordinator).post(
        reverse("meetings:arrange", args=[case.reference]),
        form(personas, timezone.now() - datetime.timedelta(days=1)),
    )
    assert "has not passed yet" in response.content.decode()


def test_outside_the_30_days_the_page_offers_the_cannot_be_held_in_time_route(personas, client):
    case = mediation_case(personas)  # mediation by 5 November 2026
    response = signed_in(client, personas.coordinator).post(
        reverse("meetings:arrange", args=[case.reference]), form(personas, soon(14))
    )
    text = response.content.decode()
    assert "30-day limit" in text
    assert reverse("cases:case_action", args=[case.reference, "record_mediation_not_arranged"]) in text


def test_a_clash_shows_beside_the_mediator(personas, client):
    arranged(personas, dr_case(personas))
    case = dr_case(personas)
    response = signed_in(client, personas.coordinator).post(
        reverse("meetings:arrange", args=[case.reference]), form(personas, soon(14))
    )
    text = response.content.decode()
    assert "already has a meeting" in text and 'href="#id_mediator"' in text


@pytest.mark.parametrize("who", ["adviser", "la_officer"])
def test_people_who_do_not_arrange_cannot_open_the_page(personas, client, who):
    case = dr_case(personas)
    casework.assign(
        actor=personas.manager, case=case, coordinator=None, adviser=personas.adviser, mediator=None
    )
    response = signed_in(client, getattr(personas, who)).get(
        reverse("meetings:arrange", args=[case.reference])
    )
    assert response.status_code == 403


def test_a_mediator_not_on_the_case_does_not_see_it(personas, client):
    case = dr_case(personas)
    other = make_staff("moe", User.Role.MEDIATOR)
    response = signed_in(client, other).get(reverse("meetings:arrange", args=[case.reference]))
    assert response.status_code == 404


def test_change_cancel_and_held_pages(personas, client):
    case = dr_case(personas)
    arranged(personas, case)
    client = signed_in(client, personas.coordinator)
    page = client.get(reverse("meetings:change", args=[case.reference]))
    assert page.status_code == 200 and 'value="150"' in page.content.decode()
    later = soon(15)
    response = client.post(
        reverse("meetings:change", args=[case.reference]), form(personas, later, minutes="120")
    )
    assert response.status_code == 302
    meeting = case.meetings.get()
    assert meeting.starts_at == later and meeting.minutes == 120 and meeting.sequence == 1
    response = client.post(
        reverse("meetings:held", args=[case.reference]), {"outcome": "full_agreement", "la_attended": "no"}
    )
    assert "after it has started" in response.content.decode()
    response = client.post(reverse("meetings:cancel", args=[case.reference]), {"reason": ""})
    assert "Enter why the meeting is cancelled" in response.content.decode()
    response = client.post(reverse("meetings:cancel", args=[case.reference]), {"reason": "School closed"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CONSENT_GIVEN


def test_the_held_page_records_the_outcome(personas, client):
    case = dr_case(personas)
    arranged(personas, case)
    Meeting.objects.filter(case=case).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now()
    )
    response = signed_in(client, personas.mediator).post(
        reverse("meetings:held", args=[case.reference]),
        {
            "outcome": "partial_agreement",
            "la_attended": "yes",
            "la_could_settle": "yes",
            "minutes_taken": "170",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.MEETING_HELD


def test_the_link_is_never_shown_to_people_not_invited(personas, client):
    case = dr_case(personas)
    arranged(personas, case)
    detail = reverse("cases:case_detail", args=[case.reference])
    assert LINK in signed_in(client, personas.coordinator).get(detail).content.decode()
    assert LINK in signed_in(client, personas.la_officer).get(detail).content.decode()  # invited
    colleague = make_staff("oscar", User.Role.LA_OFFICER, personas.authority)
    page = signed_in(client, colleague).get(detail)
    assert page.status_code == 200 and "Meetings" in page.content.decode()
    assert LINK not in page.content.decode()


def test_the_family_sees_their_meeting_on_their_page(personas, client, venues):
    case = dr_case(personas)
    arranged(personas, case, format="in_person", venue=venues["near"], online_link="")
    page = client.get(reverse("cases_public:family_case", args=[family_token(case)])).content.decode()
    assert "Your meeting" in page and "Near Hall" in page and "Tothill Street" in page
    case.meetings.update(status=Meeting.Status.CANCELLED, cancelled_reason="x", cancelled_at=timezone.now())
    other = dr_case(personas)
    services.arrange_meeting(
        actor=personas.coordinator,
        case=other,
        starts_at=soon(16),
        minutes=120,
        format="online",
        online_link=LINK,
        mediator=personas.mediator,
    )
    page = client.get(reverse("cases_public:family_case", args=[family_token(other)])).content.decode()
    assert LINK in page


def test_the_officer_sees_upcoming_meetings_in_my_work(personas, client):
    case = dr_case(personas)
    arranged(personas, case)
    page = signed_in(client, personas.la_officer).get(reverse("cases:my_work")).content.decode()
    assert "Meetings to come" in page and case.reference in page
    page = signed_in(client, personas.other_la_officer).get(reverse("cases:my_work")).content.decode()
    assert case.reference not in page
