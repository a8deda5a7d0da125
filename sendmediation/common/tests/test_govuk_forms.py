import datetime

import pytest
from django import forms

from sendmediation.common.govuk_forms import GovukDateField

TODAY = datetime.date(2026, 11, 28)


class LetterForm(forms.Form):
    sent = GovukDateField(subject="the date on the decision letter", past_only=True, today=TODAY)


class OptionalForm(forms.Form):
    issued = GovukDateField(subject="the date the certificate was issued", required=False, today=TODAY)


def _errors(day, month, year, form_class=LetterForm, name="sent"):
    form = form_class(data={f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date on the decision letter"),
        ("  ", " ", "   ", "Enter the date on the decision letter"),
        ("1", "", "2026", "The date on the decision letter must include a month"),
        ("", "", "2026", "The date on the decision letter must include a day and month"),
        ("31", "2", "2026", "The date on the decision letter must be a real date"),
        ("1", "²", "2026", "The date on the decision letter must be a real date"),
        ("1", "13", "2026", "The date on the decision letter must be a real date"),
        ("1", "1", "26", "Year must include 4 numbers"),
        ("29", "11", "2026", "The date on the decision letter must be today or in the past"),
    ],
)
def test_gov_uk_messages_for_each_way_a_date_can_be_wrong(day, month, year, message):
    assert _errors(day, month, year).errors["sent"] == [message]


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("1", "10", "2026", datetime.date(2026, 10, 1)),
        (" 01 ", "Oct", "2026", datetime.date(2026, 10, 1)),
        ("28", "november", "2026", TODAY),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_dates_people_type(day, month, year, expected):
    form = _errors(day, month, year)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sent"] == expected


def test_an_optional_date_left_empty_is_none():
    form = _errors("", " ", "", OptionalForm, "issued")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["issued"] is None


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("1" * 20, "1", "2026"), ("9" * 400, "12", "2026"), ("1", "1" * 20, "2026"), ("1", "1", "1" * 20)],
)
def test_an_absurdly_large_number_is_not_a_real_date(day, month, year):
    form = _errors(day, month, year)
    assert not form.is_valid()
    assert form.errors["sent"] in (
        ["The date on the decision letter must be a real date"],
        ["Year must include 4 numbers"],
    )
