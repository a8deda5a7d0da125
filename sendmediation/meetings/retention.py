"""Meetings' part in the retention schedule (``cases.retention``)."""

from __future__ import annotations

from sendmediation.cases.models import Case
from sendmediation.cases.retention import clear_fields
from sendmediation.meetings.models import Attendee, Meeting


def anonymise_meetings(case: Case) -> None:
    """The online link, the child's views, who agreed to short notice, the reasons given, and the
    attendees' names and emails. The dates, format, outcome and attendance stay for the reports."""
    clear_fields(
        Meeting.objects.filter(case=case),
        (*Meeting.PERSONAL_FIELDS, "provisional_reason", "cancelled_reason"),
    )
    clear_fields(Attendee.objects.filter(meeting__case=case), Attendee.PERSONAL_FIELDS)
