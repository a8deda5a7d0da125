"""Forms for the meeting pages: they check what was typed; the services decide what happens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.models import Case
from sendmediation.common.govuk_forms import GovukDateField, GovukTimeField
from sendmediation.meetings.models import FamilyAvailability, MediatorDiary, Meeting, Room, Venue

_CLOCKS_GO_FORWARD = (
    "The clocks go forward an hour at 1am that day, so that time does not exist: choose another"
)


def moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _exists(day: datetime.date, time: datetime.time) -> bool:
    back = timezone.localtime(moment(day, time).astimezone(datetime.UTC))
    return (back.date(), back.time()) == (day, time)


def venue_label(venue: Venue, distance: float | None) -> str:
    far = f"{distance:.1f} km away" if distance is not None else "distance not known"
    access = "step-free access" if venue.step_free else "no step-free access"
    return f"{venue.name}, {venue.postcode} ({far}, {access})"


class MeetingForm(forms.Form):
    day = GovukDateField(
        subject="the date of the meeting", label="Date of the meeting", help_text="For example, 12 1 2027"
    )
    time = GovukTimeField(subject="the meeting", label="Start time")
    minutes = forms.IntegerField(
        label="How long it is booked for, in minutes",
        help_text="A mediation meeting usually takes 2 to 3 hours (120 to 180 minutes)",
        min_value=30,
        max_value=480,
        initial=150,
        error_messages={
            "required": "Enter how long the meeting is booked for",
            "invalid": "Enter the length in minutes, like 150",
            "min_value": "The meeting must last at least 30 minutes",
            "max_value": "The meeting must last 8 hours or less",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    format = forms.ChoiceField(
        label="How will people meet?",
        choices=Meeting.Format.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Format.IN_PERSON,
        error_messages={"required": "Choose whether the meeting is in person, online or by phone"},
    )
    venue = forms.ChoiceField(
        label="Venue, for a meeting in person",
        help_text="Nearest the family first",
        required=False,
        widget=forms.RadioSelect,
    )
    room = forms.ChoiceField(label="Room (optional)", required=False)
    online_link = forms.CharField(
        label="Link to join, for an online meeting",
        help_text="Only the people invited and the staff who arrange meetings see it",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    mediator = forms.ChoiceField(label="Mediator", error_messages={"required": "Choose the mediator"})
    supporters = forms.CharField(
        label="The family's supporters (optional)",
        help_text="One name a line. The family may bring one supporter; more need their agreement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    supporter_consent_by = forms.CharField(
        label="Who in the family agreed to more than one supporter",
        required=False,
        max_length=200,
    )
    child_views = forms.CharField(
        label="The child or young person's views, and how they will be heard",
        help_text=(
            "For example, a letter they wrote, a recorded message, or that they will come for part of it"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    short_notice_agreed = forms.BooleanField(
        label="The family agreed to less than 5 working days' notice", required=False
    )
    short_notice_agreed_by = forms.CharField(
        label="Who in the family agreed to shorter notice", required=False, max_length=200
    )

    def __init__(
        self,
        *args: Any,
        venues: list[tuple[Venue, float | None]],
        now: datetime.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.venues = {str(venue.pk): venue for venue, _ in venues}
        self._choices("venue").choices = [
            (str(venue.pk), venue_label(venue, distance)) for venue, distance in venues
        ]
        rooms = Room.objects.filter(venue__in=[venue for venue, _ in venues]).select_related("venue")
        self.rooms = {str(room.pk): room for room in rooms}
        self._choices("room").choices = [("", "No particular room")] + [
            (key, str(room)) for key, room in self.rooms.items()
        ]
        mediators = User.objects.filter(role=User.Role.MEDIATOR, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        self.mediators = {str(user.pk): user for user in mediators}
        self._choices("mediator").choices = [("", "Choose a mediator")] + [
            (key, user.display_name) for key, user in self.mediators.items()
        ]

    def _choices(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("time"):
            if not _exists(data["day"], data["time"]):
                self.add_error("time", _CLOCKS_GO_FORWARD)
            elif moment(data["day"], data["time"]) <= self.now:
                self.add_error("day", "The meeting must start at a time that has not passed yet")
        return data

    def arrangement(self) -> dict[str, Any]:
        """The service's arguments, from what was typed."""
        data = self.cleaned_data
        return {
            "starts_at": moment(data["day"], data["time"]),
            "minutes": data["minutes"],
            "format": data["format"],
            "venue": self.venues.get(data.get("venue") or ""),
            "room": self.rooms.get(data.get("room") or ""),
            "online_link": data.get("online_link", "").strip(),
            "mediator": self.mediators.get(data["mediator"]),
            "supporters": [line.strip() for line in data.get("supporters", "").splitlines() if line.strip()],
            "supporter_consent_by": data.get("supporter_consent_by", "").strip(),
            "child_views": data.get("child_views", "").strip(),
            "short_notice_agreed": bool(data.get("short_notice_agreed")),
            "short_notice_agreed_by": data.get("short_notice_agreed_by", "").strip(),
        }

    @staticmethod
    def initial_for(case: Case, meeting: Meeting | None) -> dict[str, Any]:
        if meeting is None:
            return {"mediator": str(case.mediator_id) if case.mediator_id else "", "minutes": 150}
        local = timezone.localtime(meeting.starts_at)
        return {
            "day": local.date(),
            "time": local.time(),
            "minutes": meeting.minutes,
            "format": meeting.format,
            "venue": str(meeting.venue_id or ""),
            "room": str(meeting.room_id or ""),
            "online_link": meeting.online_link,
            "mediator": str(meeting.mediator_id),
            "supporters": "\n".join(a.name for a in meeting.attendees.filter(role="supporter")),
            "child_views": meeting.child_views,
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        help_text="Everyone invited is emailed to say it is cancelled; the reason is kept on the case",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class HeldForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was agreed?",
        choices=Meeting.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was agreed at the meeting"},
    )
    la_attended = forms.ChoiceField(
        label="Did someone from the local authority attend?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes if someone from the local authority attended"},
    )
    la_could_settle = forms.ChoiceField(
        label="Did they have authority to settle?",
        help_text="Answer if someone from the local authority attended",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    minutes_taken = forms.IntegerField(
        label="How long did it take, in minutes? (optional)",
        required=False,
        min_value=1,
        max_value=720,
        error_messages={
            "invalid": "Enter how many minutes the meeting took, like 150",
            "min_value": "Enter how many minutes the meeting took, like 150",
            "max_value": "Enter how many minutes the meeting took, like 150",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        settle = data.get("la_could_settle") or ""
        return {
            "outcome": data["outcome"],
            "la_attended": data["la_attended"] == "yes",
            "la_could_settle": None if not settle else settle == "yes",
            "minutes_taken": data.get("minutes_taken"),
        }


WEEKDAY_CHOICES = [
    (str(i), name) for i, name in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
]


def _weekdays_field(label: str, *, whose: str) -> forms.MultipleChoiceField:
    """Monday to Friday as checkboxes, at least one ticked."""
    return forms.MultipleChoiceField(
        label=label,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Choose at least one day of the week {whose}",
            "invalid_choice": "Choose days from Monday to Friday",
        },
    )


class WorkingPatternForm(forms.Form):
    """A mediator's working days, hours, meetings a day and the authorities they travel to."""

    days = _weekdays_field("Working days", whose="the mediator works")
    day_starts = GovukTimeField(subject="the start of the working day", label="Working day starts")
    day_ends = GovukTimeField(subject="the end of the working day", label="Working day ends")
    max_meetings_a_day = forms.TypedChoiceField(
        label="Most meetings in a day",
        choices=[("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the most meetings in a day",
            "invalid_choice": "Choose 1, 2 or 3 meetings in a day",
        },
    )
    travels_to = forms.MultipleChoiceField(
        label="Authorities whose venues the mediator travels to",
        help_text="Choose none to travel to any venue",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose authorities from the list"},
    )

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain choices, not a query: what is posted is compared with the list, never looked up.
        self.authorities = {str(authority.pk): authority for authority in authorities}
        field: Any = self.fields["travels_to"]
        field.choices = [(key, authority.name) for key, authority in self.authorities.items()]

    @staticmethod
    def initial_for(diary: MediatorDiary) -> dict[str, Any]:
        return {
            "days": [str(day) for day in sorted(diary.weekdays())],
            "day_starts": diary.day_starts,
            "day_ends": diary.day_ends,
            "max_meetings_a_day": str(diary.max_meetings_a_day),
            "travels_to": [str(pk) for pk in diary.travels_to.values_list("pk", flat=True)]
            if diary.pk
            else [],
        }

    def pattern(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weekdays": {int(day) for day in data["days"]},
            "day_starts": data["day_starts"],
            "day_ends": data["day_ends"],
            "max_meetings_a_day": data["max_meetings_a_day"],
            "travels_to": [self.authorities[key] for key in data["travels_to"]],
        }


class LeaveForm(forms.Form):
    first_day = GovukDateField(
        subject="the first day of leave", label="First day", help_text="For example, 21 12 2026"
    )
    last_day = GovukDateField(
        subject="the last day of leave", label="Last day", help_text="For example, 4 1 2027"
    )


class FamilyAvailabilityForm(forms.Form):
    """What the family can make: days, hours, in person or online, step-free access."""

    days = _weekdays_field("Which days can the family meet?", whose="the family can meet")
    earliest = GovukTimeField(subject="the earliest start", label="Earliest start")
    latest = GovukTimeField(subject="the latest finish", label="Latest finish")
    formats = forms.MultipleChoiceField(
        label="How can the family meet?",
        choices=[("in_person", "In person"), ("online", "Online (video call)")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose in person, online, or both",
            "invalid_choice": "Choose in person, online, or both",
        },
    )
    needs_step_free = forms.ChoiceField(
        label="Does anyone coming with the family need step-free access?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether anyone needs step-free access",
            "invalid_choice": "Choose whether anyone needs step-free access",
        },
    )

    @staticmethod
    def initial_for(record: FamilyAvailability) -> dict[str, Any]:
        return {
            "days": [str(day) for day in sorted(record.weekdays())],
            "earliest": record.earliest,
            "latest": record.latest,
            "formats": [
                name for name, yes in (("in_person", record.in_person), ("online", record.online)) if yes
            ],
            "needs_step_free": "yes" if record.needs_step_free else "no",
        }

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weekdays": {int(day) for day in data["days"]},
            "earliest": data["earliest"],
            "latest": data["latest"],
            "in_person": "in_person" in data["formats"],
            "online": "online" in data["formats"],
            "needs_step_free": data["needs_step_free"] == "yes",
        }
