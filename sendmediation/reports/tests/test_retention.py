"""Anonymising under the retention schedule keeps every figure the reports compute."""

from __future__ import annotations

import pytest
from django.db import transaction

from sendmediation.cases.models import Case
from sendmediation.cases.retention import anonymise_case
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.services import anonymise_request
from sendmediation.reports.periods import Period
from sendmediation.reports.report import authority_report, collect, report_rows, service_report
from sendmediation.reports.tests.conftest import QUARTER, TODAY
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db


def _everything(world):
    calendar = base_calendar()
    year = Period(QUARTER.start.replace(month=1), QUARTER.end)
    return {
        "collected": collect(QUARTER, today=TODAY, calendar=calendar),
        "year": collect(year, today=TODAY, calendar=calendar),
        "westminster": list(
            report_rows(
                authority_report(authority=world.westminster, period=QUARTER, today=TODAY, calendar=calendar)
            )
        ),
        "kent": list(
            report_rows(
                authority_report(authority=world.kent, period=QUARTER, today=TODAY, calendar=calendar)
            )
        ),
        "service": list(report_rows(service_report(period=QUARTER, today=TODAY, calendar=calendar))),
    }


def test_every_figure_is_the_same_after_every_case_and_request_is_anonymised(world):
    before = _everything(world)
    assert Case.objects.count() > 10 and HelpRequest.objects.count() > 10
    # Open cases too: whatever the schedule (or an erasure) anonymises, the figures stay.
    for case in Case.objects.all():
        with transaction.atomic():
            assert anonymise_case(case=case, actor=None, today=TODAY)
    for request in HelpRequest.objects.filter(anonymised_on__isnull=True):
        with transaction.atomic():
            anonymise_request(help_request=request, today=TODAY)

    assert not Case.objects.exclude(child_first_name="").exists()
    assert not HelpRequest.objects.exclude(child_name="").exists()
    after = _everything(world)
    assert after == before
