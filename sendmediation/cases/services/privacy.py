"""A person's rights over their data, and the law's over the case: legal hold, correction, erasure.

Each needs a reason, which is recorded on the case's history; only a manager may do them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.cases import retention, workflow
from sendmediation.cases.errors import InvalidChange, MustKeep
from sendmediation.cases.models import Case, CaseEvent
from sendmediation.cases.search import index_names
from sendmediation.cases.services._common import (
    KEEP,
    Keep,
    checked_birth_date,
    checked_place,
    locked,
    record_event,
    refreshed,
    today_or_given,
)


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidChange(f"Enter the reason for {what}", field="reason")
    return text


def place_legal_hold(*, actor: User, case: Case, reason: str) -> Case:
    """Keep the case as it is: the retention schedule will not anonymise it while the hold lasts."""
    text = _reason(reason, "the legal hold")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("place_legal_hold", case=current, user=actor)
        if current.legal_hold:
            raise InvalidChange("The case is already under a legal hold", field="reason")
        if current.anonymised_on is not None:
            raise InvalidChange("The case's personal data has already been removed", field="reason")
        current.legal_hold = True
        current.save(update_fields=["legal_hold", "updated_at"])
        record_event(current, CaseEvent.Kind.LEGAL_HOLD_PLACED, actor, reason=text)
    return refreshed(case, current)


def lift_legal_hold(*, actor: User, case: Case, reason: str) -> Case:
    text = _reason(reason, "lifting the legal hold")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("lift_legal_hold", case=current, user=actor)
        if not current.legal_hold:
            raise InvalidChange("The case is not under a legal hold", field="reason")
        current.legal_hold = False
        current.save(update_fields=["legal_hold", "updated_at"])
        record_event(current, CaseEvent.Kind.LEGAL_HOLD_LIFTED, actor, reason=text)
    return refreshed(case, current)


def correct_details_on_request(
    *,
    actor: User,
    case: Case,
    reason: str,
    child_first_name: str | Keep = KEEP,
    child_last_name: str | Keep = KEEP,
    child_date_of_birth: datetime.date | Keep | None = KEEP,
    postcode: str | Keep | None = KEEP,
    summary: str | Keep | None = KEEP,
    today: datetime.date | None = None,
) -> Case:
    """Correct a personal detail the family (or the young person) asked us to, at any stage of the
    case, closed ones included. The history keeps which fields changed and why, never the values."""
    text = _reason(reason, "the correction")
    day = today_or_given(today)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("correct_details", case=current, user=actor)
        if current.anonymised_on is not None:
            raise InvalidChange("The case's personal data has been removed: there is nothing to correct")
        values: dict[str, Any] = {}
        for name, given in (("child_first_name", child_first_name), ("child_last_name", child_last_name)):
            if given is not KEEP:
                values[name] = str(given or "").strip()
                if not values[name]:
                    raise InvalidChange(f"Enter the child's {name.split('_')[1]} name", field=name)
        if child_date_of_birth is not KEEP:
            values["child_date_of_birth"] = checked_birth_date(child_date_of_birth, today=day)
        if postcode is not KEEP:
            values["postcode"] = checked_place(
                current.local_authority, postcode or "", confirmed=False, today=day
            )
        if summary is not KEEP:
            values["summary"] = (summary or "").strip()
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            raise InvalidChange("Change at least one detail", field="child_first_name")
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=[*changed, "updated_at"])
        if {"child_first_name", "child_last_name"} & set(changed):
            index_names(current)
        record_event(current, CaseEvent.Kind.DETAILS_CORRECTED, actor, fields=changed, reason=text)
    return refreshed(case, current)


def reasons_to_keep(case: Case) -> list[str]:
    """Why the law needs this case's record kept as it is, in plain words (none: it may be erased)."""
    reasons = []
    if case.legal_hold:
        reasons.append("The case is under a legal hold. Lift the hold first if it no longer applies.")
    if case.certificates.filter(revoked_on__isnull=True).exists():
        reasons.append(
            "A mediation certificate was issued on this case. We must keep the record so that the "
            "tribunal can check it for as long as our retention schedule says."
        )
    reasons += [reason for check in retention.KEEPING_REASONS if (reason := check(case))]
    return reasons


def erase_case_on_request(
    *, actor: User, case: Case, reason: str, today: datetime.date | None = None
) -> Case:
    """Remove the case's personal data now, as the retention schedule would, because the family
    asked. Refused, with the reason, where the law requires us to keep it."""
    text = _reason(reason, "the erasure")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("erase_case", case=current, user=actor)
        if current.anonymised_on is not None:
            raise InvalidChange("The case's personal data has already been removed", field="reason")
        keep = reasons_to_keep(current)
        if keep:
            raise MustKeep("We cannot erase this case. " + " ".join(keep))
        retention.anonymise_case(
            case=current, actor=actor, today=today_or_given(today), reason=text, on_request=True
        )
    return refreshed(case, current)
