"""The case list's rows and the status tag, made in Python, are the HTML the templates made: every
value escaped, each status in its colour, an anonymised case without its names."""

from __future__ import annotations

import dataclasses
import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from sendmediation.cases.models import Case
from sendmediation.cases.templatetags.casework import case_rows, status_tag

OLD_STATUS_TAG = (
    "<strong class=\"govuk-tag{% if status == 'closed' or status == 'withdrawn' %} govuk-tag--grey"
    "{% elif status == 'certificate_issued' or status == 'consent_given' or status == 'mediation_held' %}"
    " govuk-tag--green{% elif status == 'received' %} govuk-tag--yellow"
    "{% elif status == 'consent_refused' or status == 'mediation_not_arranged' %} govuk-tag--orange"
    '{% else %} govuk-tag--blue{% endif %}">{{ label }}</strong>'
)

OLD_LOOP = Template(
    """{% load casework %}{% for case in cases %}
        <tr role="row" class="govuk-table__row">
          <td role="cell" class="govuk-table__cell" data-label="Case"><a class="govuk-link app-nowrap" href="{{ case.reference|case_page }}">{{ case.reference }}</a><br>{% if case.anonymised_on %}<span class="govuk-body-s">Personal data removed {{ case.anonymised_on|date:"j M Y" }}</span>{% else %}{{ case.child_first_name }} {{ case.child_last_name }}{% endif %}</td>
          <td role="cell" class="govuk-table__cell" data-label="Authority">{{ case.local_authority.name }}</td>
          <td role="cell" class="govuk-table__cell" data-label="Status">{% with status=case.status label=case.get_status_display %}"""  # noqa: E501
    + OLD_STATUS_TAG
    + """{% endwith %}</td>
          <td role="cell" class="govuk-table__cell" data-label="Next deadline">{% if case.next_due %}{{ case.next_due|date:"j M Y" }}{% if case.next_due < today %} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}{% else %}None running{% endif %}</td>
          <td role="cell" class="govuk-table__cell govuk-body-s" data-label="Assigned">{% if case.coordinator or case.adviser or case.mediator %}{% if case.coordinator %}{{ case.coordinator.display_name }} (coordinator){% endif %}{% if case.adviser %}<br>{{ case.adviser.display_name }} (adviser){% endif %}{% if case.mediator %}<br>{{ case.mediator.display_name }} (mediator){% endif %}{% else %}Nobody{% endif %}</td>
        </tr>
        {% endfor %}"""  # noqa: E501 - the loop as it stood in case_list.html
)

TODAY = datetime.date(2026, 12, 4)


def _person(name: str) -> SimpleNamespace:
    return SimpleNamespace(display_name=name)


def _case(number: int, status: str, **changes: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "reference": f"MED-2026-{number:06d}",
        "anonymised_on": None,
        "child_first_name": "Zoë",
        "child_last_name": "O'Neil & <Smith>",
        "local_authority": SimpleNamespace(name="Brighton & Hove"),
        "status": status,
        "get_status_display": lambda: dict(Case.Status.choices)[status],
        "next_due": None,
        "coordinator": None,
        "adviser": None,
        "mediator": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_the_rows_are_the_html_the_template_made():
    cases = [
        _case(
            1, "received", next_due=TODAY - datetime.timedelta(days=1), coordinator=_person("Cara <Coord>")
        ),
        _case(2, "la_notified", next_due=TODAY, adviser=_person("Ade"), mediator=_person("Mo")),
        _case(3, "closed", anonymised_on=datetime.date(2026, 3, 9)),
        _case(4, "consent_refused", coordinator=_person("C"), adviser=_person("A"), mediator=_person("M")),
    ]
    made = case_rows(cases, TODAY)
    assert _squeezed(made) == _squeezed(OLD_LOOP.render(Context({"cases": cases, "today": TODAY})))
    assert "<Smith>" not in made and "Personal data removed 9 Mar 2026" in made


@pytest.mark.parametrize("status", [value for value, _ in Case.Status.choices])
def test_each_status_has_the_colour_the_template_gave_it(status):
    label = dict(Case.Status.choices)[status]
    old = Template(OLD_STATUS_TAG).render(Context({"status": status, "label": label}))
    assert status_tag(status, label) == old


def test_a_status_no_longer_among_the_statuses_is_shown_as_it_is_stored():
    from sendmediation.cases.queries import ListedAuthority, ListedCase

    row = ListedCase(
        pk=1,
        reference="MED-2026-000001",
        kind="mediation",
        status="awaiting_something_old",
        received_on=TODAY,
        anonymised_on=None,
        child_first_name="Zoë",
        child_last_name="Hall",
        local_authority=ListedAuthority("E10000016", "Kent"),
        coordinator=None,
        adviser=None,
        mediator=None,
        next_due=None,
    )
    assert row.get_status_display() == "awaiting_something_old"
    assert "awaiting_something_old" in case_rows([row], TODAY)
    received = dataclasses.replace(row, status="received")
    assert received.get_status_display() == dict(Case.Status.choices)["received"]
