"""My work's rows, made in Python, are the HTML the template loop made: every value escaped, and
the agreed date shown beside the statutory one."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

from django.template import Context, Template

from sendmediation.cases.templatetags.casework import short_date, work_rows

TEMPLATE_LOOP = Template(
    """{% load casework %}{% for row in rows %}
    <tr role="row" class="govuk-table__row">
      <td role="cell" class="govuk-table__cell" data-label="Case"><a class="govuk-link" href="{{ row.case.reference|case_page }}">{{ row.case.reference }}</a><br><span class="govuk-body-s">{{ row.case.local_authority.name }}</span></td>
      <td role="cell" class="govuk-table__cell" data-label="What is due">{{ row.label }}</td>
      <td role="cell" class="govuk-table__cell" data-label="Who acts">{{ row.who_acts }}</td>
      <td role="cell" class="govuk-table__cell" data-label="Due">{{ row.effective_due|date:"j M Y" }}{% if row.agreed_override %}<br><span class="govuk-body-s">agreed (statutory {{ row.due|date:"j M Y" }})</span>{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501 - the loop as it stood in my_work.html
)


def _row(
    reference: str, authority: str, *, due: datetime.date, agreed: datetime.date | None = None
) -> SimpleNamespace:
    return SimpleNamespace(
        case=SimpleNamespace(reference=reference, local_authority=SimpleNamespace(name=authority)),
        label='Hold the mediation <by> law & "on time"',
        who_acts="Kestrel's coordinator",
        due=due,
        agreed_override=agreed,
        effective_due=agreed or due,
    )


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_the_rows_are_the_html_the_template_made_with_every_value_escaped():
    rows = [
        _row("MED-2026-000001", "Brighton & Hove", due=datetime.date(2026, 1, 9)),
        _row(
            "MED-2026-000002", "<script>", due=datetime.date(2026, 12, 4), agreed=datetime.date(2027, 2, 28)
        ),
    ]
    made = work_rows(rows)
    assert _squeezed(made) == _squeezed(TEMPLATE_LOOP.render(Context({"rows": rows})))
    assert "<script>" not in made and "Brighton &amp; Hove" in made
    assert '28 Feb 2027<br><span class="govuk-body-s">agreed (statutory 4 Dec 2026)</span>' in made


def test_a_short_date_is_the_date_filters_day_month_and_year():
    for day in (datetime.date(2026, month, 1 + month) for month in range(1, 13)):
        assert short_date(day) == Template('{{ day|date:"j M Y" }}').render(Context({"day": day}))
