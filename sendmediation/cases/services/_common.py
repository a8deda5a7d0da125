"""Steps every front door shares: the lock, the event, the move, the scope."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.errors import CaseNotVisible, InvalidChange
from sendmediation.cases.family import family_url
from sendmediation.cases.models import (
    Case,
    CaseEvent,
    Decision,
    Party,
)
from sendmediation.cases.search import index_names
from sendmediation.statutory.calendar import WorkingDayCalendar
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


def record_event(case: Case, kind: str, actor: User | None, /, **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=timezone.now(), data=data)


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
    return party
