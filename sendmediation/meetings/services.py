"""The front doors for meetings: arrange, change, cancel, record that it was held.

Each takes the acting user, runs in one transaction, checks the workflow table, writes the meeting
and a ``CaseEvent`` (times, ids and formats only: never names or links), and queues the emails to
everyone invited. The deadlines table moves the clocks from the events.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import CaseworkError, InvalidChange, MeetingClash
from sendmediation.cases.models import Case, CaseEvent, Deadline, Party
from sendmediation.cases.services._common import KEEP, Keep, locked, move_to, record_event, refreshed
from sendmediation.cases.signals import case_stopped
from sendmediation.cases.timeline import format_moment
from sendmediation.localities.coverage import postcode_index
from sendmediation.localities.postcodes import PostcodeError, PostcodeLocation, distance_km
from sendmediation.meetings import invites
from sendmediation.meetings.models import Attendee, MediatorProfile, Meeting, Room, Venue
from sendmediation.statutory.calendar import WorkingDayCalendar, format_date
from sendmediation.statutory.rules import RuleCode, compute
from sendmediation.statutory.services import current_calendar

logger = logging.getLogger(__name__)

Status = Case.Status

MIN_MINUTES = 30
MAX_MINUTES = 8 * 60
# The family may bring one supporter by right; more only with their consent.
SUPPORTERS_BY_RIGHT = 1
SHORT_NOTICE_NOTE = "The family agreed to shorter notice of the meeting"


class OutsideMediationWindow(InvalidChange):
    """The meeting would be after the date the local authority must hold the mediation by.

    The case can instead go down the "cannot be held in time" route (``record_mediation_not_arranged``)."""

    action = "record_mediation_not_arranged"


# --- reads ---------------------------------------------------------------------------------------


def current_meeting(case: Case) -> Meeting | None:
    """The meeting arranged on the case and not yet held or cancelled."""
    return case.meetings.arranged().select_related("venue", "room", "mediator").order_by("-id").first()


def _location(postcode: str) -> PostcodeLocation | None:
    if not postcode.strip():
        return None
    try:
        return postcode_index().lookup(postcode)
    except PostcodeError:
        return None


def venues_near(case: Case) -> list[tuple[Venue, float | None]]:
    """Venues open for bookings, nearest the family first (km, straight line); those whose distance
    is not known come last, by name."""
    home = _location(case.postcode)
    found: list[tuple[Venue, float | None]] = []
    for venue in Venue.objects.filter(open_for_bookings=True).prefetch_related("rooms"):
        place = _location(venue.postcode)
        distance = distance_km(home, place) if home is not None and place is not None else None
        found.append((venue, None if distance is None else round(distance, 1)))
    return sorted(found, key=lambda pair: (pair[1] is None, pair[1] or 0.0, pair[0].name))


def link_visible_to(meeting: Meeting, user: Any) -> bool:
    """The online link is for the people invited and the staff who arrange meetings, nobody else."""
    from sendmediation.accounts.permissions import can_arrange

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if can_arrange(user) or meeting.mediator_id == user.pk:
        return True
    email = (user.email or "").strip().lower()
    return bool(email) and any(a.email.strip().lower() == email for a in meeting.attendees.all())


# --- the checks every arrangement passes --------------------------------------------------------


@dataclass
class Plan:
    """A meeting as someone asked for it, before it is checked."""

    starts_at: datetime.datetime
    minutes: int
    format: str
    mediator: User
    venue: Venue | None
    room: Room | None
    online_link: str
    short_notice_agreed: bool
    short_notice_agreed_by: str
    supporters: list[str]
    supporter_consent_by: str
    child_views: str

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    def where_or_when(self) -> tuple[Any, ...]:
        return (self.starts_at, self.format, getattr(self.venue, "pk", None), getattr(self.room, "pk", None))


def _check_time(plan: Plan, now: datetime.datetime, calendar: WorkingDayCalendar) -> None:
    if timezone.is_naive(plan.starts_at):
        raise InvalidChange(
            "Give the time with its offset from UTC, for example 2027-01-12T10:00:00+00:00", field="starts_at"
        )
    if plan.starts_at <= now:
        raise InvalidChange("The meeting must start at a time that has not passed yet", field="starts_at")
    # Notice and the deadlines are counted in working days: a day the calendar does not cover
    # (a mistyped year, say) cannot be counted.
    last = calendar.last_day - datetime.timedelta(days=1)
    if plan.starts_at.date() > last:
        raise InvalidChange(
            f"The meeting must start by {format_date(last)}. Check the year", field="starts_at"
        )
    if not MIN_MINUTES <= plan.minutes <= MAX_MINUTES:
        raise InvalidChange(
            f"The meeting must last between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours",
            field="minutes",
        )


def _check_place(plan: Plan) -> None:
    if plan.format not in Meeting.Format.values:
        raise InvalidChange("Choose whether the meeting is in person, online or by phone", field="format")
    if plan.format == Meeting.Format.IN_PERSON:
        if plan.venue is None:
            raise InvalidChange("Choose the venue for a meeting in person", field="venue")
        if not plan.venue.open_for_bookings:
            raise InvalidChange(
                f"{plan.venue.name} is not taking bookings at the moment. Choose another venue", field="venue"
            )
        if plan.room is not None and plan.room.venue_id != plan.venue.pk:
            raise InvalidChange(f"Choose a room at {plan.venue.name}", field="room")
        plan.online_link = ""
    else:
        plan.venue, plan.room = None, None
    if plan.format == Meeting.Format.ONLINE:
        link = plan.online_link.strip()
        if not link:
            raise InvalidChange("Enter the link to join the online meeting", field="online_link")
        if not link.startswith("https://") or " " in link or len(link) > 500:
            raise InvalidChange(
                "Enter the link to join in the correct format, like https://meet.example/abc",
                field="online_link",
            )
        plan.online_link = link
    elif plan.format == Meeting.Format.PHONE:
        plan.online_link = ""


def _check_mediator(plan: Plan, case: Case) -> None:
    mediator = plan.mediator
    if mediator is None or not mediator.is_active or mediator.role != User.Role.MEDIATOR:
        raise InvalidChange("Choose a mediator who works for the service", field="mediator")
    profile = MediatorProfile.objects.filter(user=mediator).first()
    if profile is not None and profile.excluded_authorities.filter(pk=case.local_authority_id).exists():
        raise InvalidChange(
            f"{mediator.display_name} cannot mediate for {case.local_authority.name}: they are not "
            "independent of it. Choose another mediator",
            field="mediator",
        )


def _notice(
    plan: Plan, *, today: datetime.date, calendar: WorkingDayCalendar, field: str = "starts_at"
) -> datetime.date:
    """The day notice is due by; refuses a meeting too soon unless the family agreed to less."""
    day = timezone.localdate(plan.starts_at)
    due = compute("meeting_notice", day, calendar).due
    if today > due:
        if not plan.short_notice_agreed:
            raise InvalidChange(
                f"Give at least 5 working days' notice: for a meeting on {format_date(day)}, notice must "
                f"be given by {format_date(due)}. Choose a later date, or record that the family "
                "agreed to shorter notice",
                field=field,
            )
        if not plan.short_notice_agreed_by.strip():
            raise InvalidChange(
                "Enter who in the family agreed to shorter notice", field="short_notice_agreed_by"
            )
    return due


def _check_mediation_window(plan: Plan, case: Case) -> None:
    if case.kind != Case.Kind.MEDIATION:
        return
    row = (
        Deadline.objects.filter(case=case, rule=RuleCode.MEDIATION_BY, step="")
        .running()
        .only("effective_due")
        .first()
    )
    if row is None or row.effective_due is None:
        return
    day = timezone.localdate(plan.starts_at)
    if day > row.effective_due:
        raise OutsideMediationWindow(
            f"The mediation must be held by {format_date(row.effective_due)}, within 30 days of the "
            f"family asking for it. A meeting on {format_date(day)} would miss the 30-day limit. Choose "
            "an earlier date, or, if the mediation cannot be held in time, record that instead so that "
            "the family can have their certificate",
            field="starts_at",
        )


def _family(case: Case) -> Party | None:
    return case.parties.family_contact()


def _la_representative(case: Case) -> Party | None:
    return (
        case.parties.filter(role=Party.Role.LA_OFFICER, has_authority_to_settle=True).order_by("id").first()
    )


def _check_clashes(plan: Plan, case: Case, *, keep: Meeting | None) -> None:
    others = Meeting.objects.overlapping(plan.starts_at, plan.ends_at).select_related("case")
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    clash = others.filter(mediator=plan.mediator).first()
    if clash is not None:
        raise MeetingClash(
            f"{plan.mediator.display_name} already has a meeting at {format_moment(clash.starts_at)} "
            f"(case {clash.case.reference}). Choose another time or another mediator",
            field="mediator",
            reference=clash.case.reference,
        )
    if plan.room is not None:
        clash = others.filter(room=plan.room).first()
        if clash is not None:
            raise MeetingClash(
                f"{plan.room} is booked at {format_moment(clash.starts_at)} (case {clash.case.reference}). "
                "Choose another room or time",
                field="room",
                reference=clash.case.reference,
            )
    family = _family(case)
    same_family = Q(case=case)
    if family is not None and family.email:
        same_family |= Q(attendees__role=Attendee.Role.FAMILY, attendees__email__iexact=family.email)
    clash = others.filter(same_family).first()
    if clash is not None:
        raise MeetingClash(
            f"The family already has a meeting at {format_moment(clash.starts_at)}. Choose another time",
            field="starts_at",
            reference=clash.case.reference,
        )


def _checked(
    plan: Plan,
    case: Case,
    *,
    now: datetime.datetime,
    calendar: WorkingDayCalendar,
    keep: Meeting | None = None,
    notice_needed: bool = True,
) -> None:
    _check_time(plan, now, calendar)
    _check_place(plan)
    _check_mediator(plan, case)
    if notice_needed:
        _notice(plan, today=timezone.localdate(now), calendar=calendar)
    _check_mediation_window(plan, case)
    if len(plan.supporters) > SUPPORTERS_BY_RIGHT and not plan.supporter_consent_by.strip():
        raise InvalidChange(
            "The family may bring one supporter. Enter who in the family agreed to the others coming",
            field="supporters",
        )
    _check_clashes(plan, case, keep=keep)


# --- who is invited ------------------------------------------------------------------------------


def _confirmation(case: Case) -> str:
    """Why the meeting is only provisional, or "" when it can be confirmed: the authority's
    representative with authority to settle, and the health commissioner's when health care issues
    are raised, must be recorded first."""
    if (
        case.issues_health
        and not case.parties.filter(
            role=Party.Role.HEALTH_COMMISSIONER, has_authority_to_settle=True
        ).exists()
    ):
        return (
            "Health care issues are raised, and nobody from the health commissioner with authority to "
            "settle is recorded yet. Add them as a party, then change the meeting to confirm it"
        )
    if _la_representative(case) is not None:
        return ""
    if (
        case.kind == Case.Kind.DISAGREEMENT_RESOLUTION
        and not case.parties.filter(role=Party.Role.LA_OFFICER).exists()
    ):
        return ""  # the local authority is not a party to this disagreement
    return (
        "Nobody from the local authority with authority to settle is recorded yet. Add them as a party, "
        "then change the meeting to confirm it"
    )


def _invite(meeting: Meeting, plan: Plan, case: Case, *, now: datetime.datetime) -> None:
    """Write who is invited: the family, the authority's and the health commissioner's
    representatives, and the family's supporters."""
    meeting.attendees.all().delete()
    family = _family(case)
    if family is not None:
        Attendee.objects.create(
            meeting=meeting, party=family, role=Attendee.Role.FAMILY, name=family.name, email=family.email
        )
    officer = _la_representative(case)
    if officer is not None:
        Attendee.objects.create(
            meeting=meeting,
            party=officer,
            role=Attendee.Role.LA_REPRESENTATIVE,
            name=officer.name,
            email=officer.email,
        )
    if case.issues_health:
        for party in case.parties.filter(role=Party.Role.HEALTH_COMMISSIONER).order_by("id")[:1]:
            Attendee.objects.create(
                meeting=meeting,
                party=party,
                role=Attendee.Role.HEALTH_REPRESENTATIVE,
                name=party.name,
                email=party.email,
            )
    known = {party.name.strip().lower(): party for party in case.parties.filter(role=Party.Role.SUPPORTER)}
    for index, name in enumerate(plan.supporters):
        supporter = known.get(name.lower())
        extra = index >= SUPPORTERS_BY_RIGHT
        Attendee.objects.create(
            meeting=meeting,
            party=supporter,
            role=Attendee.Role.SUPPORTER,
            name=name,
            email=supporter.email if supporter is not None else "",
            consent_given_by=plan.supporter_consent_by.strip()[:200] if extra else "",
            consent_given_at=now if extra else None,
        )


def _supporters(names: Sequence[str]) -> list[str]:
    cleaned = [name.strip()[:200] for name in names if name and name.strip()]
    return list(dict.fromkeys(cleaned))


def _agreed(plan: Plan, today: datetime.date) -> dict[str, Any]:
    if not plan.short_notice_agreed:
        return {}
    return {"agreed": {RuleCode.MEETING_NOTICE: {"date": today, "note": SHORT_NOTICE_NOTE}}}


# --- the front doors -----------------------------------------------------------------------------


def arrange_meeting(
    *,
    actor: User,
    case: Case,
    starts_at: datetime.datetime,
    minutes: int,
    format: str,
    mediator: User,
    venue: Venue | None = None,
    room: Room | None = None,
    online_link: str = "",
    short_notice_agreed: bool = False,
    short_notice_agreed_by: str = "",
    supporters: Sequence[str] = (),
    child_views: str = "",
    supporter_consent_by: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Arrange the meeting: checked against notice, the 30 days, the mediator's independence and
    everyone's other meetings; everyone invited is emailed a calendar invitation."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = current_calendar()
    plan = Plan(
        starts_at=starts_at,
        minutes=int(minutes),
        format=str(format),
        mediator=mediator,
        venue=venue,
        room=room,
        online_link=online_link or "",
        short_notice_agreed=short_notice_agreed,
        short_notice_agreed_by=short_notice_agreed_by or "",
        supporters=_supporters(supporters),
        supporter_consent_by=supporter_consent_by or "",
        child_views=child_views or "",
    )
    with transaction.atomic():
        current = locked(case, actor)
        target = Status.MEETING_ARRANGED
        workflow.check("arrange_meeting", case=current, user=actor, to=target)
        _checked(plan, current, now=now, calendar=calendar)
        reason = _confirmation(current)
        meeting = Meeting.objects.create(
            case=current,
            route=current.kind,
            starts_at=plan.starts_at,
            minutes=plan.minutes,
            ends_at=plan.ends_at,
            format=plan.format,
            venue=plan.venue,
            room=plan.room,
            online_link=plan.online_link,
            mediator=plan.mediator,
            status=Meeting.Status.PROVISIONAL if reason else Meeting.Status.CONFIRMED,
            provisional_reason=reason,
            notice_given_on=today,
            short_notice_agreed=plan.short_notice_agreed,
            short_notice_agreed_by=(
                plan.short_notice_agreed_by.strip()[:200] if plan.short_notice_agreed else ""
            ),
            short_notice_agreed_at=now if plan.short_notice_agreed else None,
            child_views=plan.child_views.strip(),
        )
        _invite(meeting, plan, current, now=now)
        current.mediator = plan.mediator
        before = move_to(current, target, fields=["mediator"])
        record_event(
            current,
            CaseEvent.Kind.MEETING_ARRANGED,
            actor,
            calendar=calendar,
            data={
                "from": before,
                "to": current.status,
                "meeting": meeting.pk,
                **meeting.facts(),
                "status": meeting.status,
                "starts_on": timezone.localdate(meeting.starts_at),
                "notice_on": today,
                "short_notice_agreed": meeting.short_notice_agreed,
                **_agreed(plan, today),
            },
        )
        invites.send_invitations(meeting, updated=False)
    refreshed(case, current)
    return meeting


def _kept(value: Any, old: Any) -> Any:
    return old if isinstance(value, Keep) else value


def change_meeting(
    *,
    actor: User,
    case: Case,
    starts_at: datetime.datetime | Keep = KEEP,
    minutes: int | Keep = KEEP,
    format: str | Keep = KEEP,
    mediator: User | Keep = KEEP,
    venue: Venue | Keep | None = KEEP,
    room: Room | Keep | None = KEEP,
    online_link: str | Keep = KEEP,
    short_notice_agreed: bool | Keep = KEEP,
    short_notice_agreed_by: str | Keep = KEEP,
    supporters: Sequence[str] | Keep = KEEP,
    child_views: str | Keep = KEEP,
    supporter_consent_by: str | Keep = KEEP,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Change the arranged meeting; anything left out stays as it is. A new time or place needs
    5 working days' notice again (unless the family agrees to less), and everyone invited is sent
    the updated calendar invitation. It is confirmed once the authority's representative is known."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = current_calendar()
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("change_meeting", case=current, user=actor)
        meeting = current_meeting(current)
        if meeting is None:
            raise InvalidChange("There is no meeting arranged to change", field="")
        supporting = list(meeting.attendees.filter(role=Attendee.Role.SUPPORTER))
        old_supporters = [a.name for a in supporting]
        old_consent = next((a.consent_given_by for a in supporting if a.consent_given_by), "")
        new_venue = _kept(venue, meeting.venue)
        plan = Plan(
            starts_at=_kept(starts_at, meeting.starts_at),
            minutes=int(_kept(minutes, meeting.minutes)),
            format=str(_kept(format, meeting.format)),
            mediator=_kept(mediator, meeting.mediator),
            venue=new_venue,
            # A new venue without a room named has no room.
            room=_kept(room, meeting.room if new_venue == meeting.venue else None),
            online_link=_kept(online_link, meeting.online_link) or "",
            short_notice_agreed=bool(_kept(short_notice_agreed, False)),
            short_notice_agreed_by=_kept(short_notice_agreed_by, "") or "",
            supporters=_supporters(_kept(supporters, old_supporters)),
            supporter_consent_by=_kept(supporter_consent_by, old_consent) or "",
            child_views=_kept(child_views, meeting.child_views) or "",
        )
        before = meeting.facts()
        old_place = (meeting.starts_at, meeting.format, meeting.venue_id, meeting.room_id)
        moved = False
        if not isinstance(starts_at, Keep) or not isinstance(format, Keep) or not isinstance(venue, Keep):
            moved = True
        if not isinstance(room, Keep):
            moved = True
        _check_place(plan)  # so that the comparison below sees the place as it will be saved
        moved = moved and plan.where_or_when() != old_place
        _checked(plan, current, now=now, calendar=calendar, keep=meeting, notice_needed=moved)
        reason = _confirmation(current)
        meeting.starts_at, meeting.minutes, meeting.ends_at = plan.starts_at, plan.minutes, plan.ends_at
        meeting.format, meeting.venue, meeting.room = plan.format, plan.venue, plan.room
        meeting.online_link, meeting.mediator = plan.online_link, plan.mediator
        meeting.child_views = plan.child_views.strip()
        meeting.status = Meeting.Status.PROVISIONAL if reason else Meeting.Status.CONFIRMED
        meeting.provisional_reason = reason
        meeting.sequence += 1
        if moved:
            meeting.notice_given_on = today
            meeting.short_notice_agreed = plan.short_notice_agreed
            meeting.short_notice_agreed_by = (
                plan.short_notice_agreed_by.strip()[:200] if plan.short_notice_agreed else ""
            )
            meeting.short_notice_agreed_at = now if plan.short_notice_agreed else None
        meeting.save()
        _invite(meeting, plan, current, now=now)
        current.mediator = plan.mediator
        move_to(current, current.status, fields=["mediator"])
        record_event(
            current,
            CaseEvent.Kind.MEETING_CHANGED,
            actor,
            calendar=calendar,
            data={
                "meeting": meeting.pk,
                "before": before,
                "after": meeting.facts(),
                "status": meeting.status,
                "sequence": meeting.sequence,
                "starts_on": timezone.localdate(meeting.starts_at),
                "notice_on": meeting.notice_given_on,
                "short_notice_agreed": meeting.short_notice_agreed,
                **(_agreed(plan, today) if moved else {}),
            },
        )
        invites.send_invitations(meeting, updated=True)
    refreshed(case, current)
    return meeting


def _cancel(meeting: Meeting, *, reason: str, now: datetime.datetime) -> dict[str, Any]:
    before = meeting.facts()
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = reason
    meeting.cancelled_at = now
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_reason", "cancelled_at", "sequence", "updated_at"])
    invites.send_cancellations(meeting)
    return before


def cancel_meeting(*, actor: User, case: Case, reason: str, now: datetime.datetime | None = None) -> Meeting:
    """Cancel the arranged meeting: the case goes back to where a meeting can be arranged again,
    and everyone invited is told (with a calendar cancellation)."""
    now = now or timezone.now()
    if not reason.strip():
        raise InvalidChange("Enter why the meeting is cancelled", field="reason")
    with transaction.atomic():
        current = locked(case, actor)
        target = workflow.MEETING_SOURCES.get(current.kind, "")
        workflow.check("cancel_meeting", case=current, user=actor, to=target or None)
        meeting = current_meeting(current)
        if meeting is None:
            # A case withdrawn and reopened comes back with its meeting already cancelled: this
            # takes it back to where another can be arranged.
            meeting = current.meetings.order_by("-id").first()
            if meeting is None:
                raise InvalidChange("There is no meeting arranged to cancel", field="")
            before = meeting.facts()
        else:
            before = _cancel(meeting, reason=reason.strip(), now=now)
        status_before = move_to(current, target)
        record_event(
            current,
            CaseEvent.Kind.MEETING_CANCELLED,
            actor,
            data={
                "from": status_before,
                "to": current.status,
                "meeting": meeting.pk,
                "before": before,
                "on": timezone.localdate(now),
            },
        )
    refreshed(case, current)
    return meeting


def record_meeting_held(
    *,
    actor: User,
    case: Case,
    la_attended: bool,
    la_could_settle: bool | None = None,
    minutes_taken: int | None = None,
    outcome: str,
    now: datetime.datetime | None = None,
) -> Meeting:
    """The meeting took place: who came for the authority, how long it took, what was agreed.
    For mediation this meets the 30-day duty and starts the certificate's 3 working days."""
    now = now or timezone.now()
    if outcome not in Meeting.Outcome.values:
        raise InvalidChange("Choose what was agreed at the meeting", field="outcome")
    if la_attended and la_could_settle is None:
        raise InvalidChange(
            "Say whether the local authority's representative had authority to settle",
            field="la_could_settle",
        )
    if minutes_taken is not None and not 1 <= minutes_taken <= 12 * 60:
        raise InvalidChange("Enter how many minutes the meeting took, like 150", field="minutes_taken")
    calendar = current_calendar()
    with transaction.atomic():
        current = locked(case, actor)
        target = workflow.MEETING_HELD_STATUS.get(current.kind, "")
        workflow.check("record_meeting_held", case=current, user=actor, to=target or None)
        meeting = current_meeting(current)
        if meeting is None:
            raise InvalidChange("There is no meeting arranged to record", field="")
        if meeting.starts_at > now:
            # Not a mistake in what was typed: the meeting is not there to record yet.
            raise CaseworkError(
                f"The meeting starts at {format_moment(meeting.starts_at)}: record it after it has started"
            )
        meeting.status = Meeting.Status.HELD
        meeting.route = current.kind
        meeting.outcome = outcome
        meeting.la_attended = la_attended
        meeting.la_could_settle = bool(la_could_settle) if la_attended else False
        meeting.held_minutes = minutes_taken
        meeting.save()
        before = move_to(current, target)
        kind = (
            CaseEvent.Kind.MEDIATION_HELD
            if current.kind == Case.Kind.MEDIATION
            else CaseEvent.Kind.DR_MEETING_HELD
        )
        record_event(
            current,
            kind,
            actor,
            calendar=calendar,
            data={
                "from": before,
                "to": current.status,
                "held_on": timezone.localdate(meeting.starts_at),
                "outcome": outcome,
                "meeting": meeting.pk,
                "la_attended": meeting.la_attended,
                "la_could_settle": meeting.la_could_settle,
            },
        )
        deadlines.recompute_deadlines(current, calendar=calendar)
    refreshed(case, current)
    return meeting


# --- when a case stops ---------------------------------------------------------------------------


@receiver(case_stopped, dispatch_uid="meetings.cancel_when_case_stops")
def cancel_when_case_stops(
    sender: Any, *, case: Case, actor: User | None, on: datetime.date, **_: Any
) -> None:
    """A withdrawn or closed case has no meetings to come: cancel them and tell everyone invited."""
    now = timezone.now()
    for meeting in case.meetings.upcoming(now).select_related("venue", "room", "mediator", "case"):
        before = _cancel(meeting, reason="The case was withdrawn or closed", now=now)
        record_event(
            case,
            CaseEvent.Kind.MEETING_CANCELLED,
            actor,
            data={"meeting": meeting.pk, "before": before, "on": on},
        )


# --- the daily reminder --------------------------------------------------------------------------

REMINDER_WORKING_DAYS = 2


def reminder_day(meeting_day: datetime.date, calendar: WorkingDayCalendar) -> datetime.date:
    """2 working days before the meeting's day."""
    return calendar.subtract_working_days(meeting_day, REMINDER_WORKING_DAYS)


def send_meeting_reminders(*, today: datetime.date, calendar: WorkingDayCalendar | None = None) -> int:
    """Remind everyone invited to each meeting whose reminder day has come (2 working days before
    it), once: a missed day catches up, and running it again sends nothing more."""
    cal = calendar or current_calendar()
    sent = 0
    tomorrow = today + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    horizon = start + datetime.timedelta(days=14)
    meetings = (
        Meeting.objects.arranged()
        .filter(starts_at__gte=start, starts_at__lt=horizon)
        .select_related("case", "venue", "room", "mediator")
        .prefetch_related("attendees")
    )
    for meeting in meetings:
        if reminder_day(timezone.localdate(meeting.starts_at), cal) <= today:
            sent += invites.send_reminder(meeting)
    return sent
