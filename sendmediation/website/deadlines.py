"""The public page "Work out your deadlines".

The form is sent with GET: the answer depends only on two dates, so a result page can be
bookmarked, shared with an adviser or reloaded, it needs no session or CSRF token and it works
without JavaScript.  Two dates on their own identify nobody.  "Today" is read once per request,
here, and passed to the form and the rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sendmediation.common.govuk_forms import GovukDateField
from sendmediation.statutory.calendar import MONTH_NAMES, WorkingDayCalendar
from sendmediation.statutory.rules import FamilyDeadlines, family_deadlines
from sendmediation.statutory.services import current_calendar

FIELDS = ("decision_letter_sent", "certificate_issued")
PARTS = ("0", "1", "2")
# Enough for any way of typing a day, month or year; longer input is not a date.
PART_MAX_LENGTH = 20


def _long_date(d: datetime.date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


class _DateField(GovukDateField):
    def compress(self, data_list: list[Any]) -> datetime.date | None:
        try:
            value = super().compress(data_list)
        except ValueError:
            # Characters that count as digits but are not numbers, such as "²".
            subject = self.subject[0].upper() + self.subject[1:]
            raise ValidationError(f"{subject} must be a real date", code="invalid") from None
        if value is None and self.required:
            # Boxes holding only spaces pass the "all empty" test before being stripped.
            raise ValidationError(self.error_messages["required"], code="required")
        return value


class DeadlinesForm(forms.Form):
    def __init__(self, *args: Any, today: datetime.date, calendar: WorkingDayCalendar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        example = today - datetime.timedelta(days=30)
        self.fields["decision_letter_sent"] = _DateField(
            subject="the date on the decision letter",
            past_only=True,
            today=today,
            label="What date is on the decision letter?",
            help_text=(
                "Use the date printed on the local authority's letter telling you its decision. "
                "The time limits run from when the letter was sent, not when you got it. "
                f"For example, {example.day} {example.month} {example.year}"
            ),
        )
        self.fields["certificate_issued"] = _DateField(
            subject="the date the mediation certificate was issued",
            past_only=True,
            today=today,
            required=False,
            label="If you have a mediation certificate, what date was it issued? (optional)",
            help_text="The date is on the certificate. Leave this blank if you do not have one.",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sent = cleaned.get("decision_letter_sent")
        certificate = cleaned.get("certificate_issued")
        first = self.calendar.first_day
        if sent is not None and sent < first:
            self.add_error(
                "decision_letter_sent",
                f"The date on the decision letter must be the same as or after {_long_date(first)}",
            )
        elif sent is not None and certificate is not None and certificate < sent:
            self.add_error(
                "certificate_issued",
                "The date the mediation certificate was issued must be the same as or after "
                "the date on the decision letter",
            )
        return cleaned


def _typed(query: QueryDict) -> dict[str, list[str]]:
    """The date boxes as typed, trimmed to a sensible length, to fill the form in again."""
    return {name: [query.get(f"{name}_{part}", "")[:PART_MAX_LENGTH] for part in PARTS] for name in FIELDS}


def _change_url(query: QueryDict) -> str:
    boxes = {
        f"{name}_{part}": value
        for name, values in _typed(query).items()
        for part, value in zip(PARTS, values, strict=True)
    }
    return f"{reverse('website:deadlines')}?{urlencode(boxes)}"


def _when(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days == 0:
        return "That is today."
    if days == 1:
        return "That is tomorrow."
    if days > 1:
        return f"That is in {days} days."
    return "That date has passed."


@dataclass(frozen=True)
class Outlook:
    """The deadlines as they stand today, for the results page to word."""

    deadlines: FamilyDeadlines
    today: datetime.date
    calendar: WorkingDayCalendar

    @property
    def has_certificate(self) -> bool:
        return self.deadlines.certificate_issued is not None

    @property
    def contact_passed(self) -> bool:
        return not self.has_certificate and self.today > self.deadlines.contact_mediation_adviser_by.due

    @property
    def appeal_passed(self) -> bool:
        return self.today > self.deadlines.appeal_by.due

    @property
    def phone_closed_on_contact_day(self) -> str:
        """Why the phone line is closed on the last day to contact an adviser ("a Sunday", "a bank
        holiday (Christmas Day)"), or "" when it is open or the day no longer matters."""
        due = self.deadlines.contact_mediation_adviser_by.due
        if self.has_certificate or self.contact_passed or not self.calendar.covers(due):
            return ""
        if self.calendar.is_working_day(due):
            return ""
        name = self.calendar.holiday_name(due)
        return f"a bank holiday ({name})" if name else f"a {due.strftime('%A')}"

    @property
    def contact_when(self) -> str:
        return _when(self.deadlines.contact_mediation_adviser_by.due, self.today)

    @property
    def appeal_when(self) -> str:
        return _when(self.deadlines.appeal_by.due, self.today)


@login_not_required
@require_safe
def deadlines(request: HttpRequest) -> HttpResponse:
    """The question page; a "Change" link from the results fills the boxes in again."""
    form = DeadlinesForm(
        initial=_typed(request.GET),
        today=timezone.localdate(),
        calendar=current_calendar(),
    )
    return render(request, "website/deadlines/question.html", {"form": form})


@login_not_required
@never_cache
@require_safe
def deadlines_results(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = current_calendar()
    form = DeadlinesForm(request.GET, today=today, calendar=calendar)
    if not form.is_valid():
        return render(request, "website/deadlines/question.html", {"form": form})
    found = family_deadlines(
        form.cleaned_data["decision_letter_sent"],
        form.cleaned_data["certificate_issued"],
        calendar=calendar,
    )
    return render(
        request,
        "website/deadlines/results.html",
        {"outlook": Outlook(found, today, calendar), "today": today, "change_url": _change_url(request.GET)},
    )


urlpatterns = [
    path("", deadlines, name="deadlines"),
    path("results/", deadlines_results, name="deadlines_results"),
]
