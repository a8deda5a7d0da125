"""What a family's answers mean for them: their time limit, their area, and when we will reply."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from sendmediation.localities.authorities import Country, authority_by_code
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.postcodes import PostcodeError, load_index
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import family_deadlines
from sendmediation.statutory.services import current_calendar

NEAR_DAYS = 10
REPLY_WITHIN_WORKING_DAYS = 2


def calendar() -> WorkingDayCalendar:
    return current_calendar()


class TimeLimitState(StrEnum):
    OPEN = "open"
    NEAR = "near"
    PASSED = "passed"


@dataclass(frozen=True)
class TimeLimit:
    """When the family must contact a mediation adviser, and how close that is."""

    letter_date: datetime.date
    contact_by: datetime.date
    days_left: int
    # The Tribunal's own limit, before any certificate moves it (the same day or a little later).
    appeal_by: datetime.date | None = None

    @property
    def state(self) -> TimeLimitState:
        if self.days_left < 0:
            return TimeLimitState.PASSED
        if self.days_left <= NEAR_DAYS:
            return TimeLimitState.NEAR
        return TimeLimitState.OPEN

    @property
    def is_near(self) -> bool:
        return self.state is TimeLimitState.NEAR

    @property
    def has_passed(self) -> bool:
        return self.state is TimeLimitState.PASSED


def time_limit(letter_date: datetime.date, *, today: datetime.date) -> TimeLimit:
    dates = family_deadlines(letter_date, calendar=calendar())
    due = dates.contact_mediation_adviser_by.due
    return TimeLimit(
        letter_date=letter_date, contact_by=due, days_left=(due - today).days, appeal_by=dates.appeal_by.due
    )


def reply_by(today: datetime.date) -> datetime.date:
    """The working day by which we promise to contact someone who asks for help today."""
    return calendar().add_working_days(today, REPLY_WITHIN_WORKING_DAYS)


class AreaOutcome(StrEnum):
    COVERED = "covered"
    NOT_COVERED = "not_covered"
    NOT_IN_ENGLAND = "not_in_england"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Area:
    """Which local authority a postcode is in, and whether we cover it. Never stops a request."""

    postcode: str
    outcome: AreaOutcome
    authority_name: str = ""
    local_authority: LocalAuthority | None = None
    country: Country | None = None

    @property
    def summary(self) -> str:
        """One line for check answers and staff."""
        if self.outcome is AreaOutcome.COVERED:
            return f"{self.authority_name}: we work with this local authority"
        if self.outcome is AreaOutcome.NOT_COVERED:
            return f"{self.authority_name}: we do not usually work with this local authority"
        if self.outcome is AreaOutcome.NOT_IN_ENGLAND:
            return f"Not in England ({self.country.label if self.country else 'outside England'})"
        return "We could not find this postcode"


def area_for(postcode: str, *, on: datetime.date) -> Area:
    try:
        location = load_index(settings.VAR_DIR).lookup(postcode)
    except PostcodeError:
        return Area(postcode=postcode, outcome=AreaOutcome.NOT_FOUND)
    code = location.authority_code
    if code is None:
        return Area(postcode=location.postcode, outcome=AreaOutcome.NOT_IN_ENGLAND, country=location.country)
    authority = LocalAuthority.objects.filter(code=code).first()
    covered = authority is not None and LocalAuthority.objects.covered(on=on).filter(pk=authority.pk).exists()
    name = authority.name if authority is not None else authority_by_code(code).name
    return Area(
        postcode=location.postcode,
        outcome=AreaOutcome.COVERED if covered else AreaOutcome.NOT_COVERED,
        authority_name=name,
        local_authority=authority,
        country=location.country,
    )
