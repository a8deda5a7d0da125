"""Template helpers for the case pages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def action_url(action: Any, case: Any) -> str:
    """The page for an action on a case: its own page where it has one (a meeting, an agreement),
    otherwise the case's action page."""
    if action.page:
        return reverse(action.page, args=[case.reference])
    return reverse("cases:case_action", args=[case.reference, action.name])


_REFERENCE_MARK = "MED-0000-000000"


@lru_cache(maxsize=16)
def _case_page_pattern(urlconf: str | None, prefix: str) -> str:
    return reverse("cases:case_detail", args=[_REFERENCE_MARK], urlconf=urlconf)


@register.filter
def case_page(reference: str) -> str:
    """A case's page, for lists of many cases: the address is worked out once and the reference put
    in it, since reversing it for every row takes longer than the list's queries."""
    return _case_page_pattern(get_urlconf(), get_script_prefix()).replace(_REFERENCE_MARK, reference)


def short_date(day: datetime.date) -> str:
    """``{{ day|date:"j M Y" }}`` without the template engine: 4 Dec 2026."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"


@register.simple_tag
def work_rows(rows: Iterable[Any]) -> SafeString:
    """The rows of one of My work's lists. Up to 200 rows a page: made in Python, each value escaped,
    since the same rows drawn by a template loop took most of the page's time."""
    page = _case_page_pattern(get_urlconf(), get_script_prefix())
    cell = '<td role="cell" class="govuk-table__cell" data-label="{}">{}</td>'
    made = []
    for row in rows:
        reference = escape(row.case.reference)
        authority = escape(row.case.local_authority.name)
        due = short_date(row.effective_due)
        if row.agreed_override:
            due += f'<br><span class="govuk-body-s">agreed (statutory {short_date(row.due)})</span>'
        made.append(
            '<tr role="row" class="govuk-table__row">'
            + cell.format(
                "Case",
                f'<a class="govuk-link" href="{escape(page.replace(_REFERENCE_MARK, row.case.reference))}">'
                f'{reference}</a><br><span class="govuk-body-s">{authority}</span>',
            )
            + cell.format("What is due", escape(row.label))
            + cell.format("Who acts", escape(row.who_acts))
            + cell.format("Due", due)
            + "</tr>"
        )
    return mark_safe("\n".join(made))  # noqa: S308 - every value above is escaped


_TAG_COLOURS = {
    "closed": " govuk-tag--grey",
    "withdrawn": " govuk-tag--grey",
    "certificate_issued": " govuk-tag--green",
    "consent_given": " govuk-tag--green",
    "mediation_held": " govuk-tag--green",
    "received": " govuk-tag--yellow",
    "consent_refused": " govuk-tag--orange",
    "mediation_not_arranged": " govuk-tag--orange",
}


@register.simple_tag
def status_tag(status: str, label: Any) -> SafeString:
    """A case's status as a GOV.UK tag, coloured by what it means (blue while work goes on)."""
    colour = _TAG_COLOURS.get(str(status), " govuk-tag--blue")
    return mark_safe(f'<strong class="govuk-tag{colour}">{escape(label)}</strong>')  # noqa: S308 - escaped


def _assigned(case: Any) -> str:
    people = [
        (person, role)
        for person, role in (
            (case.coordinator, "coordinator"),
            (case.adviser, "adviser"),
            (case.mediator, "mediator"),
        )
        if person
    ]
    if not people:
        return "Nobody"
    shown = []
    for person, role in people:
        text = f"{escape(person.display_name)} ({role})"
        shown.append(text if role == "coordinator" else f"<br>{text}")
    return "".join(shown)


@register.simple_tag
def case_rows(cases: Iterable[Any], today: datetime.date) -> SafeString:
    """The rows of a page of the case list, made in Python as ``work_rows`` are."""
    page = _case_page_pattern(get_urlconf(), get_script_prefix())
    cell = '<td role="cell" class="govuk-table__cell{}" data-label="{}">{}</td>'
    made = []
    for case in cases:
        if case.anonymised_on:
            who = f'<span class="govuk-body-s">Personal data removed {short_date(case.anonymised_on)}</span>'
        else:
            who = f"{escape(case.child_first_name)} {escape(case.child_last_name)}"
        if case.next_due:
            due = short_date(case.next_due)
            if case.next_due < today:
                due += ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
        else:
            due = "None running"
        link = escape(page.replace(_REFERENCE_MARK, case.reference))
        made.append(
            '<tr role="row" class="govuk-table__row">'
            + cell.format(
                "",
                "Case",
                f'<a class="govuk-link app-nowrap" href="{link}">{escape(case.reference)}</a><br>{who}',
            )
            + cell.format("", "Authority", escape(case.local_authority.name))
            + cell.format("", "Status", status_tag(case.status, case.get_status_display()))
            + cell.format("", "Next deadline", due)
            + cell.format(" govuk-body-s", "Assigned", _assigned(case))
            + "</tr>"
        )
    return mark_safe("\n".join(made))  # noqa: S308 - every value above is escaped
