"""Steps every front door shares: the lock, the event, the move, the scope."""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines
from sendmediation.cases.errors import CaseNotVisible, InvalidChange, OtherAuthority
from sendmediation.cases.family import family_url
from sendmediation.cases.models import (
    AuthorityContact,
    Case,
    CaseEvent,
    Decision,
    Party,
)
from sendmediation.cases.search import index_names
from sendmediation.localities.coverage import check_postcode
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.postcodes import InvalidPostcodeError, PostcodeNotFoundError
from sendmediation.statutory.calendar import WorkingDayCalendar, format_date
from sendmediation.statutory.services import current_calendar

logger = logging.getLogger(__name__)


Status = Case.Status


def calendar_or_current(calendar: WorkingDayCalendar | None) -> WorkingDayCalendar:
    return current_calendar() if calendar is None else calendar


def today_or_given(today: datetime.date | None) -> datetime.date:
    return timezone.localdate() if today is None else today


def locked(case: Case, actor: User) -> Case:
    """The case, fresh and locked for this transaction, if the actor may see it at all."""
    locked = Case.objects.visible_to(actor).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise CaseNotVisible()
    return locked


def record_event(
    case: Case,
    kind: str,
    actor: User | None,
    /,
    *,
    data: dict[str, Any] | None = None,
    calendar: WorkingDayCalendar | None = None,
    **fields: Any,
) -> CaseEvent:
    """Write what happened; the deadlines table (``deadlines.CLOCKS``) moves the clocks it moves.

    ``data`` holds keys that are not names Python allows as arguments, such as "from"."""
    event = CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, at=timezone.now(), data={**(data or {}), **fields}
    )
    if kind in CaseEvent.AUTHORITY_TOLD and not case.authority_told:
        # From now on the authority takes part in a mediation case (CaseQuerySet.taking_part).
        Case.objects.filter(pk=case.pk).update(authority_told=True)
        case.authority_told = True
    if kind in deadlines.EVENTS:
        deadlines.follow(case, event, calendar=calendar_or_current(calendar))
    return event


# --- dates of things that happened ----------------------------------------------------------------


def happened_on(
    day: datetime.date,
    *,
    field: str,
    what: str,
    today: datetime.date,
    not_before: datetime.date | None = None,
    since: str = "",
) -> datetime.date:
    """A date something happened: not in the future, and not before the step it follows."""
    if day > today:
        raise InvalidChange(f"{what} must be today or in the past", field=field)
    if not_before is not None and day < not_before:
        raise InvalidChange(f"{what} must be on or after {format_date(not_before)}, {since}", field=field)
    return day


def day_of_last(case: Case, kind: str, key: str) -> datetime.date | None:
    """The day recorded on the latest event of ``kind`` (the day it was written, if none was)."""
    event = case.events.filter(kind=kind).order_by("-at", "-id").first()
    if event is None:
        return None
    value = event.data.get(key)
    if value:
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
    return timezone.localdate(event.at)


def last_step_day(case: Case) -> datetime.date:
    """The day of the latest change of status (the day the case was received, before any)."""
    days = [case.received_on]
    for event in case.events.filter(data__has_key="to").order_by("-at", "-id")[:1]:
        value = next((event.data[key] for key in DAY_KEYS if event.data.get(key)), None)
        days.append(
            datetime.date.fromisoformat(str(value)[:10])
            if value is not None
            else timezone.localdate(event.at)
        )
    return max(days)


# The keys under which status events record the day the thing happened.
DAY_KEYS = ("on", "held_on", "requested_on", "notified_on", "told_on", "issued_on", "revoked_on")


class Keep(enum.Enum):
    """A field left out of a change: it stays as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


def checked_place(
    local_authority: LocalAuthority, postcode: str, *, confirmed: bool, today: datetime.date
) -> str:
    """The family's postcode, written properly, checked against the case's local authority.

    A postcode in another authority is refused unless staff confirm the authority is right (a child
    can live outside the authority responsible for them)."""
    postcode = postcode.strip().upper()
    if not postcode:
        return ""
    try:
        answer = check_postcode(postcode, on=today)
    except InvalidPostcodeError:
        raise InvalidChange("Enter a real postcode, like SW1A 1AA", field="postcode") from None
    except PostcodeNotFoundError:
        return postcode  # a new postcode the index does not know yet: nothing to check it against
    authority = answer.authority
    if authority is not None and authority.code != local_authority.code and not confirmed:
        raise OtherAuthority(
            f"The postcode {answer.postcode} is in {authority.name}, not {local_authority.name}. Check the "
            f"postcode and the local authority, or confirm that {local_authority.name} is responsible "
            "for the child",
            field="postcode",
            postcode_authority=authority.name,
        )
    return answer.postcode


def checked_email(email: str, *, field: str = "email") -> str:
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidChange(
                "Enter an email address in the correct format, like name@example.com", field=field
            ) from None
    return email


def child_age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def checked_birth_date(born: datetime.date | None, *, today: datetime.date) -> datetime.date | None:
    """A child or young person we can help: born, and aged 25 or under."""
    if born is None:
        return None
    if born > today:
        raise InvalidChange("The child's date of birth must be in the past", field="child_date_of_birth")
    if child_age(born, today) > 25:
        raise InvalidChange(
            "We can only help with children and young people aged 25 or under", field="child_date_of_birth"
        )
    return born


def checked_letter_date(sent: datetime.date | None, *, today: datetime.date) -> datetime.date | None:
    if sent is not None and sent > today:
        raise InvalidChange(
            "The date the decision letter was sent must be today or in the past", field="decision_letter_sent"
        )
    return sent


def record_authority_contact(
    case: Case,
    *,
    actor: User,
    kind: str,
    on: datetime.date,
    how: str,
    person: str,
    reason: str = "",
    rule: str = "",
) -> AuthorityContact:
    """Keep the evidence of what passed between us and the local authority."""
    if how not in AuthorityContact.How.values:
        raise InvalidChange("Choose how the local authority was contacted", field="how")
    if not person.strip():
        raise InvalidChange("Enter who at the local authority it was", field="person")
    return AuthorityContact.objects.create(
        case=case,
        kind=kind,
        on=on,
        how=how,
        person=person.strip()[:200],
        reason=reason.strip(),
        rule=rule,
        recorded_by=actor,
    )


def move_to(case: Case, to: str, *, fields: Sequence[str] = ()) -> str:
    before = case.status
    case.status = to
    case.save(update_fields=["status", "updated_at", *fields])
    return before


def refreshed(target: Case, source: Case) -> Case:
    """Copy the saved state back onto the caller's object, so it does not hold stale values."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def staff_member(user: User | None, roles: Iterable[str], what: str, *, field: str) -> User | None:
    if user is None:
        return None
    if not user.is_active or user.role not in roles:
        raise InvalidChange(f"Choose {what}", field=field)
    return user


def checked_decisions(decisions: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(str(code) for code in decisions))
    unknown = [code for code in codes if code not in Decision.values]
    if unknown:
        raise InvalidChange("Choose the decisions from the list", field="decisions")
    return codes


def case_url(case: Case) -> str:
    try:
        return settings.SITE_URL + reverse("cases:case_detail", args=[case.reference])
    except NoReverseMatch:  # the staff pages are not mounted in this deployment
        return ""


def family_link(case: Case) -> str:
    try:
        return family_url(case)
    except NoReverseMatch:  # the family's pages are not mounted in this deployment
        return ""


def person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.display_name}


def create_party(
    case: Case,
    *,
    role: str,
    name: str,
    organisation: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    has_authority_to_settle: bool | None = None,
    contact_shared_with_la: bool = False,
) -> Party:
    role = Party.Role(role)
    if not name.strip():
        raise InvalidChange("Enter the party's name", field="name")
    email = checked_email(email)
    if role not in Party.SETTLING_ROLES:
        has_authority_to_settle = None
    if contact_shared_with_la and role not in Party.FAMILY_ROLES:
        raise InvalidChange(
            "Only a parent or young person can agree to share their contact details",
            field="contact_shared_with_la",
        )
    party = Party.objects.create(
        case=case,
        role=role,
        name=name.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        has_authority_to_settle=has_authority_to_settle,
        contact_shared_with_la=contact_shared_with_la,
        contact_shared_on=timezone.localdate() if contact_shared_with_la else None,
    )
    index_names(case)
    if role == Party.Role.LA_OFFICER and not case.authority_is_party:
        # From now on the authority takes part in a disagreement resolution case.
        Case.objects.filter(pk=case.pk).update(authority_is_party=True)
        case.authority_is_party = True
    return party
