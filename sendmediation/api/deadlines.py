"""Public deadline endpoints: a family's two dates, and any statutory rule by its code.

Dates are read as text and parsed here, so that only YYYY-MM-DD is accepted (not timestamps or
week dates) and every problem comes back as a 400 that names the field.  Any real date the
working-day calendar covers is accepted, past or future.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, P, Path, Query, QueryEx, Router, Schema
from pydantic import WithJsonSchema

from sendmediation.api.errors import BadRequest
from sendmediation.api.ratelimit import check_public_rate_limit
from sendmediation.api.schemas import ErrorOut
from sendmediation.statutory.calendar import WorkingDayCalendar, add_months
from sendmediation.statutory.errors import StatutoryError
from sendmediation.statutory.rules import (
    ORDER_TYPES,
    RULES,
    Deadline,
    OrderDeadlines,
    compute,
    family_deadlines,
)
from sendmediation.statutory.services import current_calendar

router = Router()

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_REAL_DATE = "Enter a real date in the form YYYY-MM-DD"

IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "example": "2026-10-01"})]
RuleCode = Annotated[str, WithJsonSchema({"type": "string", "enum": list(RULES)})]
OrderType = Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(ORDER_TYPES)})]
OptionalIsoDate = Annotated[str | None, WithJsonSchema({"type": "string", "format": "date"})]


class FamilyDeadlinesOut(Schema):
    decision_letter_sent: date
    certificate_issued: date | None
    contact_mediation_adviser_by: date = Field(
        description="2 months after the decision letter was sent (SEND Regulations 2014, regulation 33)"
    )
    appeal_by: date = Field(description="The last day to appeal to the SEND Tribunal")
    reasons: list[str] = Field(description="How each date was worked out, in plain English")


class RuleDeadlineOut(Schema):
    rule: str
    from_: date = Field(
        alias="from", description="The date the clock starts from (for meeting_notice, the meeting)"
    )
    due: date = Field(description="The due date (for meeting_notice, the last day notice may be given)")
    reasons: list[str]


class OrderDeadlinesOut(Schema):
    rule: str
    from_: date = Field(alias="from")
    order: str
    due: dict[str, date] = Field(description="Each step's due date, by step name")
    labels: dict[str, str] = Field(description="What each step is, in words")
    reasons: list[str]


class _Problems:
    """Field problems gathered from one request, reported together."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def date(self, field: str, value: str | None, calendar: WorkingDayCalendar) -> date | None:
        if value is None:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            parsed = date.fromisoformat(value)
        except ValueError:
            self.add(field, _REAL_DATE)
            return None
        if not calendar.covers(parsed):
            self.add(
                field,
                f"Enter a date from {calendar.first_day.isoformat()} to {calendar.last_day.isoformat()}",
            )
            return None
        return parsed

    def raise_any(self) -> None:
        if self.fields:
            names = ", ".join(sorted(self.fields))
            raise BadRequest("invalid_input", f"Check these fields: {names}", fields=dict(self.fields))


def _outside(field: str, error: StatutoryError, certificate: date | None, start: date) -> BadRequest:
    # An appeal date runs from the later of the two clocks, so blame the one that ran out.
    if certificate is not None and add_months(certificate, 1) > add_months(start, 2):
        field = "certificate_issued"
    return BadRequest("outside_calendar", str(error), fields={field: str(error)})


@router.get(
    "",
    response={200: FamilyDeadlinesOut, 400: ErrorOut, 429: ErrorOut},
    summary="A family's deadlines after a decision letter",
    description=(
        "When the family must contact a mediation adviser, and when they must appeal to the SEND "
        "Tribunal. Give the date on the local authority's decision letter (the date it was sent) "
        "and, if there is one, the date the mediation certificate was issued."
    ),
    operation_id="family_deadlines",
)
def deadlines(
    request: HttpRequest,
    decision_letter_sent: Query[IsoDate],
    certificate_issued: OptionalIsoDate = None,
) -> FamilyDeadlinesOut:
    check_public_rate_limit(request)
    calendar = current_calendar()
    problems = _Problems()
    sent = problems.date("decision_letter_sent", decision_letter_sent, calendar)
    certificate = problems.date("certificate_issued", certificate_issued, calendar)
    if sent is not None and certificate is not None and certificate < sent:
        problems.add(
            "certificate_issued", "The certificate cannot be issued before the decision letter was sent"
        )
    problems.raise_any()
    assert sent is not None
    try:
        found = family_deadlines(sent, certificate, calendar=calendar)
    except StatutoryError as error:
        raise _outside("decision_letter_sent", error, certificate, sent) from None
    contact, appeal = found.contact_mediation_adviser_by, found.appeal_by
    return FamilyDeadlinesOut(
        decision_letter_sent=sent,
        certificate_issued=certificate,
        contact_mediation_adviser_by=contact.due,
        appeal_by=appeal.due,
        reasons=[f"Contact a mediation adviser by: {reason}" for reason in contact.reasons]
        + [f"Appeal by: {reason}" for reason in appeal.reasons],
    )


@router.get(
    "/rules/{code}",
    response={200: RuleDeadlineOut | OrderDeadlinesOut, 400: ErrorOut, 429: ErrorOut},
    by_alias=True,
    summary="One statutory deadline by its rule code",
    description=(
        "The due date for one rule, counted from the date in `from`. For `meeting_notice`, `from` "
        "is the meeting date and `due` the last day notice may be given. For "
        "`agreement_as_order`, give `order`; `due` is then an object of named dates. "
        "`appeal_by` also takes `certificate_issued`."
    ),
    operation_id="rule_deadline",
)
def rule_deadline(
    request: HttpRequest,
    code: Path[RuleCode],
    from_: QueryEx[IsoDate, P(alias="from")],
    order: OrderType = None,
    certificate_issued: OptionalIsoDate = None,
) -> dict[str, object]:
    check_public_rate_limit(request)
    calendar = current_calendar()
    problems = _Problems()
    rule = RULES.get(code)
    if rule is None:
        problems.add("code", "Use one of the rule codes: " + ", ".join(RULES))
    start = problems.date("from", from_, calendar)
    certificate = problems.date("certificate_issued", certificate_issued, calendar)
    if rule is not None:
        if rule.needs_order and order is None:
            problems.add("order", "Give the order type: one of " + ", ".join(ORDER_TYPES))
        elif order is not None and not rule.needs_order:
            problems.add("order", f"Leave this out: {code} does not take an order type")
        elif order is not None and order not in ORDER_TYPES:
            problems.add("order", "Use one of the order types: " + ", ".join(ORDER_TYPES))
        if certificate_issued is not None and not rule.uses_certificate:
            problems.add("certificate_issued", f"Leave this out: {code} does not take a certificate date")
        elif start is not None and certificate is not None and certificate < start:
            problems.add(
                "certificate_issued", "The certificate cannot be issued before the decision letter was sent"
            )
    problems.raise_any()
    assert start is not None
    try:
        result = compute(code, start, calendar, order=order, certificate_issued=certificate)
    except StatutoryError as error:
        raise _outside("from", error, certificate, start) from None
    return _rule_out(result)


def _rule_out(result: Deadline | OrderDeadlines) -> dict[str, object]:
    # A dict, not a schema instance: ninja validates the answer again, by the field's alias ("from").
    if isinstance(result, OrderDeadlines):
        steps = ORDER_TYPES[result.order].steps
        return {
            "rule": result.rule,
            "from": result.start,
            "order": result.order,
            "due": {step.slug: result.due[step.slug] for step in steps},
            "labels": {step.slug: step.label for step in steps},
            "reasons": list(result.reasons),
        }
    return {"rule": result.rule, "from": result.start, "due": result.due, "reasons": list(result.reasons)}
