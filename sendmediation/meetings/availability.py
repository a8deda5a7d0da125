"""What the family can make for their meeting: the front door the case's page and any other use.

Coordinators and managers record it after talking to the family: the days and hours they can
make, in person or online, and whether they need step-free access. Proposed schedules follow it.
The rules live on the model (``clean`` and its constraints), so the admin keeps them too.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_arrange
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.cases.models import Case
from sendmediation.meetings.models import FamilyAvailability
from sendmediation.meetings.weekly import refuse_unless_clean, set_weekdays

logger = logging.getLogger(__name__)

# Where the model's complaints show on the form.
_FIELDS = {"monday": "days", "latest": "latest"}


def family_availability(case: Case) -> FamilyAvailability:
    """What the family can make as recorded, or the defaults used without a record (not saved)."""
    found = FamilyAvailability.objects.filter(case=case).first()
    return found if found is not None else FamilyAvailability(case=case)


@transaction.atomic
def record_family_availability(
    *,
    actor: User,
    case: Case,
    weekdays: Iterable[int],
    earliest: datetime.time,
    latest: datetime.time,
    in_person: bool,
    online: bool,
    needs_step_free: bool,
) -> FamilyAvailability:
    if not can_arrange(actor):
        raise ActionNotPermitted(
            "Only coordinators and managers record what the family can make",
            action="record_family_availability",
            role=actor.role,
        )
    if latest <= earliest:
        raise InvalidChange("The latest finish must be after the earliest start", field="latest")
    if not (in_person or online):
        raise InvalidChange("Choose in person, online, or both", field="formats")
    # Made first if missing (two first saves at once meet at the row, not at its unique key), then
    # locked; a refusal below rolls it back.
    FamilyAvailability.objects.get_or_create(case=case)
    record = FamilyAvailability.objects.select_for_update().get(case=case)
    set_weekdays(record, weekdays)
    record.earliest, record.latest = earliest, latest
    record.in_person, record.online, record.needs_step_free = in_person, online, needs_step_free
    refuse_unless_clean(record, fields=_FIELDS, exclude=["case"])
    record.save()
    logger.info("What the family can make recorded on case id=%s by user id=%s", case.pk, actor.pk)
    return record
