"""Venues, mediators and the meetings arranged on a case.

Meetings change only through ``sendmediation.meetings.services``; venues, rooms and mediators'
profiles are kept by staff in the admin.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


def new_uid() -> str:
    return f"{uuid.uuid4()}@sendmediation"


class Venue(models.Model):
    """A place where a meeting can be held in person."""

    name = models.CharField(max_length=200)
    address = models.TextField(help_text="The street address, without the postcode.")
    postcode = models.CharField(max_length=10)
    step_free = models.BooleanField("Step-free access", default=False)
    access_notes = models.TextField(
        blank=True, help_text="Parking, the entrance to use, hearing loops, quiet rooms: anything that helps."
    )
    open_for_bookings = models.BooleanField(
        default=True, help_text="Untick while the venue cannot host meetings; it is then not offered."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return ", ".join([self.name, *lines, self.postcode])


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["venue__name", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name_per_venue")]

    def __str__(self) -> str:
        return f"{self.venue.name}: {self.name}"


class MediatorProfile(models.Model):
    """What the service must know about a mediator to choose one for a case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mediator_profile",
        limit_choices_to={"role": "mediator"},
    )
    accreditation = models.CharField(max_length=200, blank=True, help_text="For example, the body and level.")
    excluded_authorities = models.ManyToManyField(
        "localities.LocalAuthority",
        blank=True,
        related_name="excluded_mediators",
        help_text="Authorities this mediator must not mediate for: they are not independent of them.",
    )
    excluded_bodies = models.TextField(
        blank=True, help_text="Other bodies (health boards, trusts, schools) they must not mediate for."
    )
    skilled_in_health = models.BooleanField("Health care", default=False)
    skilled_in_social_care = models.BooleanField("Social care", default=False)
    skilled_with_young_people = models.BooleanField("Young people", default=False)
    home_postcode = models.CharField(max_length=10, blank=True)

    PERSONAL_FIELDS = ("home_postcode",)

    def __str__(self) -> str:
        return f"Mediator profile: {self.user}"

    def skills(self) -> list[str]:
        flags = (
            (self.skilled_in_health, "health care"),
            (self.skilled_in_social_care, "social care"),
            (self.skilled_with_young_people, "young people"),
        )
        return [label for on, label in flags if on]


# No meeting lasts longer than a day: the services allow eight hours, and ``meeting_within_a_day``
# holds it in the database.
LONGEST_MEETING = datetime.timedelta(days=1)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def arranged(self) -> MeetingQuerySet:
        """Meetings that will go ahead as things stand (provisional or confirmed)."""
        return self.filter(status__in=Meeting.ARRANGED_STATUSES)

    def overlapping(self, starts_at: datetime.datetime, ends_at: datetime.datetime) -> MeetingQuerySet:
        return self.arranged().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def upcoming(self, now: datetime.datetime) -> MeetingQuerySet:
        """Arranged meetings not yet over, earliest first. Each started less than a day ago at the
        earliest (``LONGEST_MEETING``), which bounds the walk along ``meeting_starts_idx`` to the
        meetings from yesterday on: without it, both databases walked every meeting ever held in
        date order to find the few arranged ones (32 ms at 100,000 meetings on SQLite)."""
        return (
            self.arranged()
            .filter(starts_at__gt=now - LONGEST_MEETING, ends_at__gt=now)
            .order_by("starts_at", "id")
        )


class Meeting(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online (video call)"
        PHONE = "phone", "By phone"

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        CONFIRMED = "confirmed", "Confirmed"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        FULL_AGREEMENT = "full_agreement", "Agreement on everything"
        PARTIAL_AGREEMENT = "partial_agreement", "Agreement on some things"
        NO_AGREEMENT = "no_agreement", "No agreement"

    class Route(models.TextChoices):
        """The case's route the meeting is part of (the same values as the case's kind)."""

        MEDIATION = "mediation", "Mediation"
        DISAGREEMENT_RESOLUTION = "disagreement_resolution", "Disagreement resolution"

    ARRANGED_STATUSES = (Status.PROVISIONAL, Status.CONFIRMED)

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    # Whether this is a mediation or a disagreement resolution meeting: the case's kind, written when
    # the meeting is arranged and again when it is held, so that the reports count meetings of each
    # kind without reading every meeting's case (docs/decisions/0007).
    route = models.CharField(max_length=30, choices=Route.choices)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField("Length in minutes")
    # Kept with the start so that clashes are one indexed range query.
    ends_at = models.DateTimeField(editable=False)
    format = models.CharField(max_length=20, choices=Format.choices)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    # Shown only to the people invited and the staff who arrange meetings.
    online_link = models.URLField(max_length=500, blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_mediated"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROVISIONAL)
    # Why the meeting is provisional, in plain words (empty once confirmed).
    provisional_reason = models.TextField(blank=True)
    # The calendar invitation's identity: the UID never changes, the sequence goes up with each change.
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # The day notice of this date and place was given.
    notice_given_on = models.DateField()
    short_notice_agreed = models.BooleanField(default=False)
    short_notice_agreed_by = models.CharField(max_length=200, blank=True)
    short_notice_agreed_at = models.DateTimeField(null=True, blank=True)
    child_views = models.TextField("The child or young person's views and how they will be heard", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    la_attended = models.BooleanField(null=True, blank=True)
    la_could_settle = models.BooleanField(null=True, blank=True)
    held_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    PERSONAL_FIELDS = ("online_link", "child_views", "short_notice_agreed_by")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(
                fields=["mediator", "starts_at"],
                condition=Q(status__in=["provisional", "confirmed"]),
                name="meeting_mediator_idx",
            ),
            models.Index(
                fields=["room", "starts_at"],
                condition=Q(status__in=["provisional", "confirmed"]),
                name="meeting_room_idx",
            ),
            models.Index(fields=["starts_at"], name="meeting_starts_idx"),
            models.Index(fields=["starts_at", "status", "route", "case"], name="meeting_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="meeting_route_known", condition=Q(route__in=["mediation", "disagreement_resolution"])
            ),
            models.CheckConstraint(
                name="meeting_in_person_has_venue",
                condition=~Q(format="in_person") | Q(venue__isnull=False),
                violation_error_message="A meeting in person needs a venue.",
            ),
            models.CheckConstraint(
                name="meeting_online_has_link",
                condition=~Q(format="online") | ~Q(online_link=""),
                violation_error_message="An online meeting needs its link.",
            ),
            models.CheckConstraint(
                name="meeting_held_has_outcome",
                condition=~Q(status="held") | ~Q(outcome=""),
                violation_error_message="A meeting held has an outcome.",
            ),
            models.CheckConstraint(
                name="meeting_cancelled_has_reason",
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancelled_reason="")),
                violation_error_message="A cancelled meeting has the time and reason it was cancelled.",
            ),
            models.CheckConstraint(
                name="meeting_within_a_day",
                condition=Q(minutes__lte=24 * 60),
                violation_error_message="A meeting lasts a day at most.",
            ),
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message="A meeting ends after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.pk} on {self.case_id}"

    @property
    def is_arranged(self) -> bool:
        return self.status in self.ARRANGED_STATUSES

    @property
    def place(self) -> str:
        """Where it is, in words for an invitation: the address, or how to join."""
        if self.format == self.Format.IN_PERSON and self.venue is not None:
            room = f" ({self.room.name})" if self.room is not None else ""
            return f"{self.venue.full_address}{room}"
        if self.format == self.Format.ONLINE:
            return "Online (video call)"
        return "By phone: the mediator will call you"

    def facts(self) -> dict[str, Any]:
        """What the history keeps of the meeting: times, venue and room ids, format. Never names
        or links."""
        return {
            "starts_at": self.starts_at.isoformat(),
            "minutes": self.minutes,
            "format": self.format,
            "venue": self.venue_id,
            "room": self.room_id,
        }


class Attendee(models.Model):
    class Role(models.TextChoices):
        FAMILY = "family", "Parent or young person"
        LA_REPRESENTATIVE = "la_representative", "Local authority representative"
        HEALTH_REPRESENTATIVE = "health_representative", "Health commissioner's representative"
        SUPPORTER = "supporter", "Supporter"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_places"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    # A second supporter (or more) comes only with the family's consent: who gave it, and when.
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_FIELDS = ("name", "email", "consent_given_by")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="attendee_consent_has_time",
                condition=Q(consent_given_by="") | Q(consent_given_at__isnull=False),
                violation_error_message="Record when the family's consent was given.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at meeting {self.meeting_id}"


# --- diaries: what the schedule is proposed from -------------------------------------------------

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _clock(time: datetime.time) -> str:
    """9am, 1:30pm."""
    hour = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{hour}{minutes}{'am' if time.hour < 12 else 'pm'}"


# The most meetings a mediator can take in a day: two sessions of about 2 and a half hours, and
# room for a short third.
MOST_MEETINGS_A_DAY = 3
# The longest stretch of leave entered at once.
LONGEST_LEAVE_DAYS = 366


class MediatorDiary(models.Model):
    """When a mediator works and where they will travel to. Without one, a mediator works every
    weekday from 9am to 5pm, up to 2 meetings a day, and travels anywhere."""

    mediator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diary",
        limit_choices_to={"role": "mediator"},
    )
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    day_starts = models.TimeField(default=datetime.time(9, 0))
    day_ends = models.TimeField(default=datetime.time(17, 0))
    max_meetings_a_day = models.PositiveSmallIntegerField(default=2)
    travels_to = models.ManyToManyField(
        "localities.LocalAuthority",
        blank=True,
        related_name="mediators_travelling",
        help_text="The authorities whose venues they will travel to; none chosen means anywhere.",
    )

    class Meta:
        verbose_name_plural = "mediators' diaries"
        constraints = [
            models.CheckConstraint(
                name="mediator_diary_day_ends_after_start",
                condition=Q(day_ends__gt=models.F("day_starts")),
                violation_error_message="The working day ends after it starts.",
            ),
            models.CheckConstraint(
                name="mediator_diary_takes_meetings",
                condition=Q(max_meetings_a_day__gte=1),
                violation_error_message="A mediator takes at least one meeting a day.",
            ),
        ]

    def __str__(self) -> str:
        return f"Diary of {self.mediator}"

    def clean(self) -> None:
        """The rules the database cannot keep, for every door (the staff page and the admin)."""
        problems = {}
        if not self.weekdays():
            problems["monday"] = "Choose at least one day of the week the mediator works"
        if self.max_meetings_a_day is not None and self.max_meetings_a_day < 1:
            problems["max_meetings_a_day"] = "A mediator takes at least one meeting a day"
        if self.max_meetings_a_day is not None and self.max_meetings_a_day > MOST_MEETINGS_A_DAY:
            problems["max_meetings_a_day"] = f"A mediator takes at most {MOST_MEETINGS_A_DAY} meetings a day"
        if problems:
            raise ValidationError(problems)

    def weekdays(self) -> frozenset[int]:
        return frozenset(i for i, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))


class Leave(models.Model):
    """Days a member of staff is away (their reasons are their own: not kept)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leave")
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        ordering = ["first_day", "id"]
        verbose_name_plural = "leave"
        constraints = [
            models.CheckConstraint(
                name="leave_ends_after_it_starts",
                condition=Q(last_day__gte=models.F("first_day")),
                violation_error_message="The last day of leave is on or after the first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.first_day} to {self.last_day}"

    @property
    def days(self) -> int:
        """How many days, the first and last included."""
        return (self.last_day - self.first_day).days + 1

    def clean(self) -> None:
        """The rules the database cannot keep, for every door (the staff page and the admin)."""
        if self.first_day and self.last_day and (self.last_day - self.first_day).days >= LONGEST_LEAVE_DAYS:
            raise ValidationError(
                {"last_day": f"Enter leave of a year or less at a time (at most {LONGEST_LEAVE_DAYS} days)"}
            )


class RoomAvailability(models.Model):
    """The days and hours a room can be booked for us. Without one, a room is free every weekday
    from 9am to 5pm, apart from its bookings."""

    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="availability")
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    opens = models.TimeField(default=datetime.time(9, 0))
    closes = models.TimeField(default=datetime.time(17, 0))

    class Meta:
        verbose_name_plural = "room availability"
        constraints = [
            models.CheckConstraint(
                name="room_availability_closes_after_opening",
                condition=Q(closes__gt=models.F("opens")),
                violation_error_message="The room closes after it opens.",
            )
        ]

    def __str__(self) -> str:
        return f"When {self.room} is free"

    def weekdays(self) -> frozenset[int]:
        return frozenset(i for i, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))


class RoomBooking(models.Model):
    """A time a room is taken by someone else (our own meetings are already known)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="room_booking_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message="A booking ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} taken from {self.starts_at}"


class FamilyAvailability(models.Model):
    """What the family can make for the meeting: days, times, in person or online, step-free access.
    Without one, any weekday from 9am to 5pm, in person, with no particular access needs."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="family_availability")
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    earliest = models.TimeField("Earliest start", default=datetime.time(9, 0))
    latest = models.TimeField("Latest finish", default=datetime.time(17, 0))
    in_person = models.BooleanField("Can meet in person", default=True)
    online = models.BooleanField("Can meet online", default=False)
    needs_step_free = models.BooleanField("Needs step-free access", default=False)

    PERSONAL_FIELDS = ("needs_step_free",)

    class Meta:
        verbose_name_plural = "families' availability"
        constraints = [
            models.CheckConstraint(
                name="family_availability_some_format",
                condition=Q(in_person=True) | Q(online=True),
                violation_error_message="The family can meet in person, online, or both.",
            ),
            models.CheckConstraint(
                name="family_availability_finish_after_start",
                condition=Q(latest__gt=models.F("earliest")),
                violation_error_message="The latest finish is after the earliest start.",
            ),
        ]

    def __str__(self) -> str:
        return f"When the family on {self.case_id} can meet"

    def clean(self) -> None:
        """The rules the database cannot keep, for every door (the staff page and the admin)."""
        if not self.weekdays():
            raise ValidationError({"monday": "Choose at least one day of the week the family can meet"})

    def summary(self) -> str:
        """In a line: "Tuesday and Thursday, 1pm to 5pm, in person or online, step-free access"."""
        names = [name.capitalize() for name in WEEKDAY_FIELDS if getattr(self, name)]
        days = (
            "Any weekday"
            if len(names) == len(WEEKDAY_FIELDS)
            else " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        )
        how = " or ".join(
            label for label, yes in (("in person", self.in_person), ("online", self.online)) if yes
        )
        hours = f"{_clock(self.earliest)} to {_clock(self.latest)}"
        access = ", step-free access" if self.needs_step_free else ""
        return f"{days}, {hours}, {how}{access}"

    def weekdays(self) -> frozenset[int]:
        return frozenset(i for i, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))


class DiaryFeed(models.Model):
    """A person's private calendar link: only the token's SHA-256 is kept, and making a new link
    stops the old one."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_feed"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar link of {self.person}"
