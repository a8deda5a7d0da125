"""The meeting front doors: every rule, with the reason in plain words, and the history they keep."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from sendmediation.accounts.models import User
from sendmediation.cases import services as casework
from sendmediation.cases.errors import (
    ActionNotPermitted,
    CaseNotVisible,
    CaseworkError,
    InvalidChange,
    MeetingClash,
)
from sendmediation.cases.models import Case, CaseEvent, Party
from sendmediation.cases.tests.builders import MEETING_ARRANGED_AT, MEETING_LINK, MEETING_STARTS_AT
from sendmediation.meetings import services
from sendmediation.meetings.models import Attendee, MediatorProfile, Meeting
from sendmediation.meetings.tests.conftest import add_officer, dr_case, mediation_case
from sendmediation.notifications.models import OutboxMessage
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

Status = Case.Status
AT = MEETING_ARRANGED_AT  # Thu 8 October 2026, 9am
STARTS = MEETING_STARTS_AT  # Tue 20 October 2026, 10am


def arrange(personas, case, **changes):
    values = {
        "actor": personas.coordinator,
        "case": case,
        "starts_at": STARTS,
        "minutes": 150,
        "format": "online",
        "online_link": MEETING_LINK,
        "mediator": personas.mediator,
        "now": AT,
    }
    values.update(changes)
    return services.arrange_meeting(**values)


def refused(personas, case, field, **changes) -> InvalidChange:
    with pytest.raises(InvalidChange) as problem:
        arrange(personas, case, **changes)
    assert problem.value.field == field, problem.value.message
    case.refresh_from_db()
    assert case.status == Status.LA_NOTIFIED
    assert not case.meetings.arranged().exists()
    return problem.value


def ics_of(message: OutboxMessage) -> Calendar:
    attachment = message.attachments[0]
    return Calendar.from_ical(attachment["content"])


def test_arranging_confirms_the_meeting_moves_the_case_and_keeps_history_without_names(personas, venues):
    case = mediation_case(personas)
    meeting = arrange(
        personas,
        case,
        format="in_person",
        venue=venues["near"],
        room=venues["garden"],
        online_link="",
        supporters=["Dee Advocate"],
        child_views="A letter from Amir",
    )
    case.refresh_from_db()
    assert case.status == Status.MEETING_ARRANGED
    assert case.mediator == personas.mediator
    assert meeting.status == Meeting.Status.CONFIRMED and meeting.provisional_reason == ""
    assert meeting.ends_at == STARTS + datetime.timedelta(minutes=150)
    roles = sorted(meeting.attendees.values_list("role", flat=True))
    assert roles == ["family", "la_representative", "supporter"]
    event = case.events.get(kind=CaseEvent.Kind.MEETING_ARRANGED)
    assert event.data["from"] == Status.LA_NOTIFIED and event.data["to"] == Status.MEETING_ARRANGED
    assert event.data["venue"] == venues["near"].pk and event.data["room"] == venues["garden"].pk
    assert event.data["starts_on"] == "2026-10-20" and event.data["notice_on"] == "2026-10-08"
    text = str(event.data)
    for secret in ("Olive", "Khan", "Dee", "meet.example", "Near Hall"):
        assert secret not in text
    notice = case.deadlines.get(rule="meeting_notice")
    assert notice.met_on == datetime.date(2026, 10, 8) and notice.working_days_late == 0


def test_without_the_authoritys_representative_the_meeting_is_provisional_and_says_why(personas):
    case = mediation_case(personas, officer=False)
    meeting = arrange(personas, case)
    assert meeting.status == Meeting.Status.PROVISIONAL
    assert "authority to settle" in meeting.provisional_reason
    # An officer without authority to settle does not confirm it either.
    add_officer(personas, case, settle=False)
    meeting = services.change_meeting(actor=personas.coordinator, case=case, minutes=120, now=AT)
    assert meeting.status == Meeting.Status.PROVISIONAL
    add_officer(personas, case)
    meeting = services.change_meeting(actor=personas.coordinator, case=case, minutes=120, now=AT)
    assert meeting.status == Meeting.Status.CONFIRMED
    assert meeting.attendees.filter(role=Attendee.Role.LA_REPRESENTATIVE).exists()


def test_the_health_commissioners_representative_is_invited_when_health_is_in_dispute(personas):
    case = mediation_case(personas)
    casework.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.HEALTH_COMMISSIONER,
        name="Hana Iqbal",
        email="hana@icb.example",
        has_authority_to_settle=True,
    )
    assert not arrange(personas, case).attendees.filter(role="health_representative").exists()
    services.cancel_meeting(actor=personas.coordinator, case=case, reason="Moving it", now=AT)
    Case.objects.filter(pk=case.pk).update(issues_health=True)
    case.refresh_from_db()
    assert arrange(personas, case).attendees.filter(role="health_representative").exists()


def test_with_health_issues_the_meeting_waits_for_the_health_commissioners_representative(personas):
    case = mediation_case(personas)
    Case.objects.filter(pk=case.pk).update(issues_health=True)
    case.refresh_from_db()
    meeting = arrange(personas, case)
    assert meeting.status == Meeting.Status.PROVISIONAL
    assert "health commissioner with authority to settle" in meeting.provisional_reason
    casework.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.HEALTH_COMMISSIONER,
        name="Hana Iqbal",
        email="hana@icb.example",
        has_authority_to_settle=True,
    )
    meeting = services.change_meeting(actor=personas.coordinator, case=case, minutes=120, now=AT)
    assert meeting.status == Meeting.Status.CONFIRMED and meeting.provisional_reason == ""


def test_a_start_in_the_past_is_refused(personas):
    case = mediation_case(personas)
    problem = refused(personas, case, "starts_at", starts_at=AT - datetime.timedelta(hours=1))
    assert "not passed" in problem.message


def test_in_person_needs_an_open_venue_and_a_room_there(personas, venues):
    case = mediation_case(personas)
    refused(personas, case, "venue", format="in_person", venue=None)
    refused(personas, case, "venue", format="in_person", venue=venues["closed"])
    refused(personas, case, "room", format="in_person", venue=venues["middle"], room=venues["garden"])


def test_online_needs_a_link(personas):
    case = mediation_case(personas)
    assert "link" in refused(personas, case, "online_link", online_link="").message
    refused(personas, case, "online_link", online_link="not a link")


def test_the_mediator_must_be_an_active_mediator(personas):
    case = mediation_case(personas)
    refused(personas, case, "mediator", mediator=personas.adviser)
    retired = make_staff("ren", User.Role.MEDIATOR, first_name="Ren", last_name="Old")
    retired.is_active = False
    retired.save()
    refused(personas, case, "mediator", mediator=retired)


def test_a_mediator_not_independent_of_the_authority_is_refused(personas):
    case = mediation_case(personas)
    profile = MediatorProfile.objects.create(user=personas.mediator, accreditation="CMC")
    profile.excluded_authorities.add(personas.other_authority)
    assert arrange(personas, case).pk  # Kent does not matter for a Westminster case
    services.cancel_meeting(actor=personas.coordinator, case=case, reason="Redo", now=AT)
    profile.excluded_authorities.add(personas.authority)
    problem = refused(personas, case, "mediator")
    assert "not independent of it" in problem.message and "Westminster" in problem.message


def test_less_than_5_working_days_notice_needs_the_familys_agreement(personas):
    case = mediation_case(personas)
    # Notice for Thu 15 October is due by Thu 8 October: the day before is too late.
    late_now = AT + datetime.timedelta(days=1)
    starts = timezone.make_aware(datetime.datetime(2026, 10, 15, 10, 0))
    problem = refused(personas, case, "starts_at", starts_at=starts, now=late_now)
    assert "5 working days' notice" in problem.message and "8 Oct 2026" in problem.message
    refused(
        personas, case, "short_notice_agreed_by", starts_at=starts, now=late_now, short_notice_agreed=True
    )
    meeting = arrange(
        personas,
        case,
        starts_at=starts,
        now=late_now,
        short_notice_agreed=True,
        short_notice_agreed_by="Sarah Khan, by phone",
    )
    assert meeting.short_notice_agreed and meeting.short_notice_agreed_at == late_now
    notice = case.deadlines.get(rule="meeting_notice")
    assert notice.agreed_override == datetime.date(2026, 10, 9)
    assert notice.working_days_late == 0 and "Sarah" not in notice.agreed_override_note
    event = case.events.get(kind=CaseEvent.Kind.MEETING_ARRANGED)
    assert "Sarah" not in str(event.data)


def test_a_mediation_outside_the_30_days_is_refused_and_points_to_the_other_route(personas):
    case = mediation_case(personas)
    problem = refused(
        personas, case, "starts_at", starts_at=timezone.make_aware(datetime.datetime(2026, 11, 6, 10))
    )
    assert isinstance(problem, services.OutsideMediationWindow)
    assert "30-day limit" in problem.message and "5 Nov 2026" in problem.message
    assert problem.action == "record_mediation_not_arranged"
    # The last day is still fine.
    assert arrange(personas, case, starts_at=timezone.make_aware(datetime.datetime(2026, 11, 5, 10))).pk


def test_more_than_one_supporter_needs_the_familys_consent(personas):
    case = mediation_case(personas)
    refused(personas, case, "supporters", supporters=["Dee", "Eve"])
    meeting = arrange(personas, case, supporters=["Dee", "Eve"], supporter_consent_by="Sarah Khan")
    eve = meeting.attendees.get(name="Eve")
    assert eve.consent_given_by == "Sarah Khan" and eve.consent_given_at == AT
    assert meeting.attendees.get(name="Dee").consent_given_by == ""


@pytest.mark.parametrize("what", ["mediator", "room", "family"])
def test_double_bookings_are_refused(personas, venues, what):
    first = mediation_case(personas)
    arrange(personas, first, format="in_person", venue=venues["near"], room=venues["garden"])
    second = mediation_case(personas)
    other = make_staff("moe", User.Role.MEDIATOR, first_name="Moe", last_name="Shah")
    changes: dict[str, Any]
    if what == "family":
        changes = {"mediator": other}
    elif what == "room":
        Party.objects.filter(case=second, role="parent").update(email="someone.else@example.org")
        changes = {
            "mediator": other,
            "format": "in_person",
            "venue": venues["near"],
            "room": venues["garden"],
        }
    else:
        Party.objects.filter(case=second, role="parent").update(email="someone.else@example.org")
        changes = {}
    with pytest.raises(MeetingClash) as clash:
        arrange(personas, second, starts_at=STARTS + datetime.timedelta(minutes=60), **changes)
    assert clash.value.field == {"mediator": "mediator", "room": "room", "family": "starts_at"}[what]
    assert first.reference in clash.value.message or what == "family"
    # Right after the first meeting ends there is no clash.
    assert arrange(personas, second, starts_at=STARTS + datetime.timedelta(minutes=150), **changes).pk


def test_only_staff_who_arrange_may_arrange(personas):
    case = mediation_case(personas)
    casework.assign(
        actor=personas.manager,
        case=case,
        coordinator=None,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    for who in ("adviser", "mediator"):
        with pytest.raises(ActionNotPermitted):
            arrange(personas, case, actor=getattr(personas, who))
    with pytest.raises(ActionNotPermitted):
        arrange(personas, case, actor=personas.la_officer)
    unassigned = make_staff("mo", User.Role.MEDIATOR)
    with pytest.raises(CaseNotVisible):
        arrange(personas, case, actor=unassigned)


def test_invitations_carry_a_calendar_file_with_a_stable_uid_and_a_rising_sequence(personas, venues):
    case = mediation_case(personas)
    meeting = arrange(personas, case, format="in_person", venue=venues["near"], online_link="")
    invitations = OutboxMessage.objects.filter(template="meeting_invitation").order_by("id")
    assert sorted(m.recipients[0] for m in invitations) == sorted(
        [personas.parent.email, personas.la_officer.email, personas.mediator.email]
    )
    first = ics_of(invitations[0])
    assert first["method"] == "REQUEST"
    event = first.walk("VEVENT")[0]
    assert str(event["uid"]) == meeting.uid and int(str(event["sequence"])) == 0
    assert "Near Hall" in str(event["location"]) and "SW1H 0ET" in str(event["location"])
    family_mail = next(m for m in invitations if m.recipients == [personas.parent.email])
    assert family_mail.context["access_notes"].startswith("Step-free entrance")
    assert family_mail.context["what_to_bring"]

    services.change_meeting(
        actor=personas.coordinator, case=case, starts_at=STARTS + datetime.timedelta(days=1), now=AT
    )
    changed = OutboxMessage.objects.filter(template="meeting_invitation", context__updated=True)
    assert changed.count() == 3
    again = ics_of(changed[0]).walk("VEVENT")[0]
    assert str(again["uid"]) == meeting.uid and int(str(again["sequence"])) == 1

    services.cancel_meeting(actor=personas.coordinator, case=case, reason="The family is unwell", now=AT)
    cancelled = OutboxMessage.objects.filter(template="meeting_cancelled")
    assert cancelled.count() == 3
    calendar = ics_of(cancelled[0])
    assert calendar["method"] == "CANCEL"
    gone = calendar.walk("VEVENT")[0]
    assert str(gone["uid"]) == meeting.uid and int(str(gone["sequence"])) == 2


def test_changing_keeps_before_and_after_and_restarts_the_notice(personas, venues):
    case = mediation_case(personas)
    arrange(personas, case)
    later = STARTS + datetime.timedelta(days=2)
    meeting = services.change_meeting(
        actor=personas.coordinator,
        case=case,
        starts_at=later,
        format="in_person",
        venue=venues["middle"],
        now=AT,
    )
    assert meeting.online_link == "" and meeting.sequence == 1
    event = case.events.get(kind=CaseEvent.Kind.MEETING_CHANGED)
    assert event.data["before"]["format"] == "online" and event.data["after"]["venue"] == venues["middle"].pk
    assert datetime.datetime.fromisoformat(event.data["before"]["starts_at"]) == STARTS
    assert datetime.datetime.fromisoformat(event.data["after"]["starts_at"]) == later
    assert "meet.example" not in str(event.data)
    assert case.deadlines.get(rule="meeting_notice").start == datetime.date(2026, 10, 22)
    # A change of length alone needs no fresh notice, even close to the day.
    close = timezone.make_aware(datetime.datetime(2026, 10, 21, 9))
    services.change_meeting(actor=personas.coordinator, case=case, minutes=180, now=close)
    # ...but moving it then does.
    with pytest.raises(InvalidChange) as problem:
        services.change_meeting(
            actor=personas.coordinator, case=case, starts_at=later + datetime.timedelta(hours=2), now=close
        )
    assert problem.value.field == "starts_at"


def test_cancelling_returns_the_case_and_stops_the_notice(personas):
    case = mediation_case(personas)
    arrange(personas, case)
    with pytest.raises(InvalidChange):
        services.cancel_meeting(actor=personas.coordinator, case=case, reason=" ", now=AT)
    meeting = services.cancel_meeting(actor=personas.coordinator, case=case, reason="Mediator ill", now=AT)
    case.refresh_from_db()
    assert case.status == Status.LA_NOTIFIED
    assert meeting.status == Meeting.Status.CANCELLED and meeting.cancelled_reason == "Mediator ill"
    event = case.events.get(kind=CaseEvent.Kind.MEETING_CANCELLED)
    assert event.data["from"] == Status.MEETING_ARRANGED and event.data["to"] == Status.LA_NOTIFIED
    assert event.data["before"]["format"] == "online"


def test_recording_a_mediation_held_meets_the_30_days_and_starts_the_certificate(personas):
    case = mediation_case(personas)
    arrange(personas, case)
    with pytest.raises(CaseworkError) as early:  # not a mistake in what was typed: too early
        services.record_meeting_held(
            actor=personas.coordinator,
            case=case,
            la_attended=True,
            la_could_settle=True,
            outcome="full_agreement",
            now=STARTS - datetime.timedelta(minutes=1),
        )
    assert "after it has started" in early.value.message
    with pytest.raises(InvalidChange) as unsaid:
        services.record_meeting_held(
            actor=personas.coordinator,
            case=case,
            la_attended=True,
            outcome="full_agreement",
            now=STARTS + datetime.timedelta(hours=3),
        )
    assert unsaid.value.field == "la_could_settle"
    meeting = services.record_meeting_held(
        actor=personas.mediator,
        case=case,
        la_attended=True,
        la_could_settle=False,
        minutes_taken=140,
        outcome="partial_agreement",
        now=STARTS + datetime.timedelta(hours=3),
    )
    case.refresh_from_db()
    assert case.status == Status.MEDIATION_HELD
    assert meeting.status == Meeting.Status.HELD and meeting.held_minutes == 140
    event = case.events.get(kind=CaseEvent.Kind.MEDIATION_HELD)
    assert event.data["held_on"] == "2026-10-20" and event.data["outcome"] == "partial_agreement"
    assert event.data["meeting"] == meeting.pk
    assert case.deadlines.get(rule="mediation_by").met_on == datetime.date(2026, 10, 20)
    assert case.deadlines.get(rule="certificate_after_mediation").start == datetime.date(2026, 10, 20)


def test_recording_a_dr_meeting_held_writes_its_own_event(personas):
    case = dr_case(personas)
    arrange(personas, case)
    services.record_meeting_held(
        actor=personas.coordinator,
        case=case,
        la_attended=False,
        outcome="no_agreement",
        now=STARTS + datetime.timedelta(hours=3),
    )
    case.refresh_from_db()
    assert case.status == Status.MEETING_HELD
    assert case.events.filter(kind=CaseEvent.Kind.DR_MEETING_HELD).exists()
    assert not case.events.filter(kind=CaseEvent.Kind.MEDIATION_HELD).exists()


@pytest.mark.parametrize("make", [mediation_case, dr_case])
def test_a_meeting_keeps_its_cases_route_for_the_reports(personas, make):
    """The reports count mediations and disagreement resolution meetings by the meeting's route,
    written from the case's kind when it is arranged and again when it is held."""
    case = make(personas)
    meeting = arrange(personas, case)
    assert meeting.route == case.kind
    other = next(route for route in Meeting.Route.values if route != case.kind)
    Meeting.objects.filter(pk=meeting.pk).update(route=other)  # as if the case's route had changed
    held = services.record_meeting_held(
        actor=personas.coordinator,
        case=case,
        la_attended=False,
        outcome="no_agreement",
        now=STARTS + datetime.timedelta(hours=3),
    )
    held.refresh_from_db()
    assert held.route == case.kind


def test_a_meeting_has_a_known_route(personas):
    meeting = arrange(personas, mediation_case(personas))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(route="")


def test_withdrawing_the_case_cancels_meetings_to_come_and_tells_everyone(personas):
    case = dr_case(personas)
    starts = timezone.now() + datetime.timedelta(days=20)
    meeting = arrange(personas, case, starts_at=starts, now=timezone.now())
    casework.withdraw_case(actor=personas.coordinator, case=case, reason="The family asked us to stop")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert OutboxMessage.objects.filter(template="meeting_cancelled").count() == 3
    assert case.events.filter(kind=CaseEvent.Kind.MEETING_CANCELLED).exists()
    # Reopened, the case is back at "meeting arranged" with nothing arranged: cancelling takes it
    # back to where another meeting can be arranged.
    casework.reopen_case(actor=personas.coordinator, case=case, reason="The family called back")
    case.refresh_from_db()
    assert case.status == Status.MEETING_ARRANGED
    services.cancel_meeting(actor=personas.coordinator, case=case, reason="Arrange a new one")
    case.refresh_from_db()
    assert case.status == Status.CONSENT_GIVEN
    assert arrange(personas, case, starts_at=starts + datetime.timedelta(days=1), now=timezone.now()).pk


def test_the_reminder_goes_2_working_days_before_and_only_once(personas):
    case = mediation_case(personas)
    arrange(personas, case)  # Tuesday 20 October: reminder on Friday 16 October
    assert services.send_meeting_reminders(today=datetime.date(2026, 10, 15)) == 0
    assert services.send_meeting_reminders(today=datetime.date(2026, 10, 16)) == 3
    assert services.send_meeting_reminders(today=datetime.date(2026, 10, 16)) == 0
    assert services.send_meeting_reminders(today=datetime.date(2026, 10, 19)) == 0
    assert OutboxMessage.objects.filter(template="meeting_reminder").count() == 3
    assert services.send_meeting_reminders(today=datetime.date(2026, 10, 20)) == 0


def test_venues_are_offered_nearest_the_family_first(personas, venues):
    case = mediation_case(personas)
    offered = services.venues_near(case)
    assert [venue.name for venue, _ in offered] == ["Near Hall", "Middle House", "Far Centre"]
    distances = [distance for _, distance in offered]
    assert distances[0] is not None and distances[0] < 1.5 and distances[2] is not None and distances[2] > 40


def test_the_online_link_is_only_for_those_invited_and_arrangers(personas):
    case = mediation_case(personas)
    meeting = arrange(personas, case)
    assert services.link_visible_to(meeting, personas.coordinator)
    assert services.link_visible_to(meeting, personas.mediator)
    assert services.link_visible_to(meeting, personas.la_officer)  # invited as the authority's representative
    assert not services.link_visible_to(meeting, personas.adviser)
    colleague = make_staff("oscar", User.Role.LA_OFFICER, personas.authority)
    assert not services.link_visible_to(meeting, colleague)


def test_the_demo_venues_and_profiles_load_once(personas):
    from django.core.management import call_command

    call_command("load_demo_meetings")
    call_command("load_demo_meetings")
    from sendmediation.meetings.models import Venue

    assert Venue.objects.count() == 3
    assert MediatorProfile.objects.filter(user=personas.mediator).count() == 1


def test_the_demo_cases_waiting_for_a_meeting_or_an_agreement_can_go_on(personas):
    from django.core.management import call_command

    from sendmediation.agreements import services as agreement_services
    from sendmediation.cases.models import Case

    call_command("load_demo_data")
    call_command("load_demo_cases")
    call_command("load_demo_meetings")
    call_command("load_demo_meetings")
    ready = Case.objects.filter(status__in=[Case.Status.LA_NOTIFIED, Case.Status.MEDIATION_HELD])
    assert ready.exists()
    for case in ready:
        assert case.mediator is not None
        assert case.parties.filter(role="la_officer", has_authority_to_settle=True).count() == 1
        # Everyone who signs has an email address, so "Send for signature" works on the demo.
        assert all(email for _, _, _, _, email in agreement_services.signatories(case))
