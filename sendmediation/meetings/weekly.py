"""What the diaries' front doors share: the days of the week a record keeps, and the model's own
rules turned into a refusal in words that names the field to show it beside."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from sendmediation.cases.errors import InvalidChange
from sendmediation.meetings.models import WEEKDAY_FIELDS


def set_weekdays(record: models.Model, weekdays: Iterable[int]) -> None:
    """Tick the record's Monday to Friday from day numbers (0 is Monday); refuse any other day."""
    days = set(weekdays)
    if not days <= set(range(len(WEEKDAY_FIELDS))):
        raise InvalidChange("Choose days from Monday to Friday", field="days")
    for number, name in enumerate(WEEKDAY_FIELDS):
        setattr(record, name, number in days)


def refuse_unless_clean(
    record: models.Model, *, fields: Mapping[str, str], exclude: Iterable[str] = ()
) -> None:
    """Check the record against its model's rules (as the admin does); the first complaint, a
    field's own before one about the whole record, becomes the refusal. ``fields`` maps a model
    field to the form field it shows beside."""
    try:
        record.full_clean(exclude=list(exclude))
    except ValidationError as refused:
        name, problems = min(refused.message_dict.items(), key=lambda item: item[0] == NON_FIELD_ERRORS)
        raise InvalidChange(
            problems[0], field="" if name == NON_FIELD_ERRORS else fields.get(name, name)
        ) from None
