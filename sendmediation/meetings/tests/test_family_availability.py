"""What the family can make: recorded by coordinators and managers on the case, with the same rules
through the page, the service and the admin, and followed by proposed schedules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.cases.tests.builders import MEETING_ARRANGED_AT
from sendmediation.meetings import availability
from sendmediation.meetings.models import FamilyAvailability
from sendmediation.meetings.scheduling.accept import propose_schedule
from sendmediation.meetings.tests.conftest import mediation_case

pytestmark = pytest.mark.django_db

ONE, FIVE = datetime.time(13, 0), datetime.time(17, 0)


def _facts(**changes):
    facts = {
        "weekdays": {3},
        "earliest": ONE,
        "latest": FIVE,
        "in_person": True,
        "online": False,
        "needs_step_free": False,
    }
    return {**facts, **changes}


def test_recorded_and_followed_by_the_proposal(personas, venues):
    case = mediation_case(personas)
    availability.record_family_availability(actor=personas.coordinator, case=case, **_facts())
    record = FamilyAvailability.objects.get(case=case)
    assert record.summary() == "Thursday, 1pm to 5pm, in person"
    [placement] = propose_schedule(
        actor=personas.coordinator, now=MEETING_ARRANGED_AT, seconds=2
    ).schedule.placements
    assert placement.starts_at.weekday() == 3 and placement.starts_at.time() == datetime.time(13, 30)


def test_recording_again_changes_the_one_record(personas):
    case = mediation_case(personas)
    availability.record_family_availability(actor=personas.coordinator, case=case, **_facts())
    availability.record_family_availability(
        actor=personas.manager,
        case=case,
        **_facts(weekdays={0, 1, 2}, online=True, needs_step_free=True, earliest=datetime.time(9, 30)),
    )
    [record] = FamilyAvailability.objects.filter(case=case)
    assert (
        record.summary()
        == "Monday, Tuesday and Wednesday, 9:30am to 5pm, in person or online, step-free access"
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weekdays": set()}, "days", "at least one day"),
        ({"weekdays": {6}}, "days", "Monday to Friday"),
        ({"latest": ONE}, "latest", "after the earliest start"),
        ({"in_person": False, "online": False}, "formats", "in person, online, or both"),
    ],
)
def test_what_cannot_be_met_is_refused_in_words(personas, changes, field, words):
    case = mediation_case(personas)
    with pytest.raises(InvalidChange) as refused:
        availability.record_family_availability(actor=personas.coordinator, case=case, **_facts(**changes))
    assert refused.value.field == field and words in refused.value.message
    assert not FamilyAvailability.objects.exists()


def test_the_admin_keeps_the_same_rules(personas):
    case = mediation_case(personas)
    record = FamilyAvailability(
        case=case, monday=False, tuesday=False, wednesday=False, thursday=False, friday=False
    )
    with pytest.raises(ValidationError, match="at least one day"):
        record.full_clean()


def test_only_coordinators_and_managers_record_it(personas):
    case = mediation_case(personas)
    for actor in (personas.mediator, personas.adviser, personas.la_officer):
        with pytest.raises(ActionNotPermitted):
            availability.record_family_availability(actor=actor, case=case, **_facts())


def test_the_page_records_it_and_the_case_page_shows_it(personas, client):
    case = mediation_case(personas)
    url = reverse("meetings:family_can_make", args=[case.reference])
    case_page = reverse("cases:case_detail", args=[case.reference])
    client.force_login(personas.coordinator)
    assert (
        "Not recorded: taken as any weekday, 9am to 5pm, in person" in client.get(case_page).content.decode()
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "days": ["1", "3"],
            "earliest": "1pm",
            "latest": "5pm",
            "formats": ["online"],
            "needs_step_free": "no",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#meetings")
    assert "Tuesday and Thursday, 1pm to 5pm, online" in client.get(case_page).content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            {"earliest": "9am", "latest": "5pm", "formats": ["online"], "needs_step_free": "no"},
            "at least one day",
        ),
        (
            {"days": ["0"], "earliest": "9am", "latest": "5pm", "needs_step_free": "no"},
            "in person, online, or both",
        ),
        (
            {
                "days": ["0"],
                "earliest": "5pm",
                "latest": "9am",
                "formats": ["online"],
                "needs_step_free": "no",
            },
            "after the earliest",
        ),
        (
            {
                "days": ["0"],
                "earliest": "soon",
                "latest": "5pm",
                "formats": ["online"],
                "needs_step_free": "no",
            },
            "like 2pm",
        ),
        (
            {
                "days": ["0"],
                "earliest": "9am",
                "latest": "5pm",
                "formats": ["by pigeon"],
                "needs_step_free": "no",
            },
            "Choose in person, online, or both",
        ),
        ({"days": ["0"], "earliest": "9am", "latest": "5pm", "formats": ["online"]}, "step-free access"),
    ],
)
def test_bad_input_on_the_page_is_shown_beside_its_field(personas, client, data, words):
    case = mediation_case(personas)
    client.force_login(personas.coordinator)
    response = client.post(reverse("meetings:family_can_make", args=[case.reference]), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and words in text
    assert not FamilyAvailability.objects.exists()


def test_the_page_is_for_coordinators_and_managers_on_cases_they_see(personas, client):
    case = mediation_case(personas)
    url = reverse("meetings:family_can_make", args=[case.reference])
    client.force_login(personas.mediator)  # not on the case: it is as if it did not exist
    assert client.get(url).status_code == 404
    client.force_login(personas.la_officer)  # sees the case, but does not arrange its meetings
    assert client.get(url).status_code == 403
    client.force_login(personas.other_la_officer)
    assert client.get(url).status_code == 404
    client.force_login(personas.manager)
    assert client.get(url).status_code == 200
    assert client.get(reverse("meetings:family_can_make", args=["MED-2026-999999"])).status_code == 404
    client.force_login(personas.la_officer)
    officer_view = client.get(reverse("cases:case_detail", args=[case.reference]))
    assert officer_view.status_code == 200 and "What the family can make" not in officer_view.content.decode()
