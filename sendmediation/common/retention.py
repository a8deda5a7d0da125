"""The retention schedule: how long each kind of personal data is kept, read from settings.RETENTION.

The jobs that apply it (``cases.retention``), docs/data-protection.md and the privacy page all read
this one table, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Rule:
    kind: str
    what: str
    starts: str
    then: str


# In the order the privacy page lists them.
RULES: tuple[Rule, ...] = (
    Rule(
        "request_drafts",
        "Answers to the request form that were never sent, and any letter uploaded with them",
        "the last answer was saved",
        "Deleted.",
    ),
    Rule(
        "declined_requests",
        "Requests for help that we turned down",
        "we turned the request down",
        "Names, contact details, date of birth, postcode, notes and the uploaded letter are removed. "
        "The reference, dates, route and local authority are kept for our figures.",
    ),
    Rule(
        "closed_cases",
        "Cases that are closed or withdrawn",
        "the case was closed",
        "Names, contact details, date of birth, postcode, free text and documents are removed. The "
        "reference, local authority, kind of case, dates and outcome are kept for our figures. A "
        "certificate's number, date and the child's initials stay, so that a tribunal can still "
        "check it. A case under a legal hold is kept as it is until the hold is lifted.",
    ),
    Rule(
        "sent_emails",
        "Copies of emails we sent, their attachments and the links to a family's page in them",
        "the email was delivered",
        "The body, the recipients and the attachments are removed; we keep that an email was sent, "
        "and when. A link to a family's page stops working long before this.",
    ),
    Rule(
        "access_log",
        "The record of who looked at a case or a request",
        "the page was looked at",
        "Deleted. The log stays tamper-evident: the last removed entry's fingerprint is kept.",
    ),
)

UNITS = ("days", "years")


def _entry(kind: str) -> tuple[str, int]:
    entry = getattr(settings, "RETENTION", {}).get(kind)
    if not isinstance(entry, dict) or len(entry) != 1:
        raise ImproperlyConfigured(f'RETENTION["{kind}"] must be one period, such as {{"days": 90}}')
    ((unit, number),) = entry.items()
    if unit not in UNITS or not isinstance(number, int) or number < 1:
        raise ImproperlyConfigured(f'RETENTION["{kind}"] must be a whole number of days or years')
    return unit, number


def in_words(kind: str) -> str:
    unit, number = _entry(kind)
    return f"{number} {unit.removesuffix('s') if number == 1 else unit}"


def days(kind: str) -> int | None:
    """The period in days, or None when it is given in years."""
    unit, number = _entry(kind)
    return number if unit == "days" else None


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def last_day_to_go(kind: str, *, today: datetime.date) -> datetime.date:
    """Whatever started on or before this day has been kept for the whole period by ``today``.

    With 90 days: a request turned down 90 days ago goes today; one turned down 89 days ago stays.
    """
    unit, number = _entry(kind)
    if unit == "days":
        return today - datetime.timedelta(days=number)
    return _years_before(today, number)


def schedule() -> list[tuple[Rule, str]]:
    """Each rule with its period in words, for the page and the document."""
    return [(rule, in_words(rule.kind)) for rule in RULES]


DOC_BEGIN = "<!-- generated: retention -->"
DOC_END = "<!-- end generated -->"


def schedule_markdown() -> str:
    """The table in docs/data-protection.md; a test keeps the two the same."""
    lines = [
        DOC_BEGIN,
        "",
        "| setting | information | kept for | then |",
        "|---|---|---|---|",
    ]
    for rule, period in schedule():
        lines.append(f"| `{rule.kind}` | {rule.what} | {period} after {rule.starts} | {rule.then} |")
    return "\n".join([*lines, "", DOC_END])
