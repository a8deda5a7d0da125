"""Form fields that render as GOV.UK Design System patterns and speak its error wording."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.formats import number_format

from sendmediation.common.clock_times import format_clock_time, parse_clock_time


class FlatChoices(BaseChoiceIterator):
    """Choices already flat (value, label) pairs of strings, as a list of every authority or every
    member of staff is: a field takes them as they are. Given a plain list, Django checks every pair
    again, for the field and again for its widget, which costs milliseconds a page for a few hundred
    options."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Any:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def _subject(field: BoundField) -> str:
    """The field's label as the subject of a sentence: 'Full name', or 'Your answer to "Why?"'."""
    label = str(field.label or field.name).removesuffix("(optional)").strip()
    if label.endswith("?"):
        return f'Your answer to "{label}"'
    return label


def character_limit(field: BoundField) -> int | None:
    """The most characters a text field takes, when it has a limit."""
    limit = getattr(field.field, "max_length", None)
    return int(limit) if limit is not None and isinstance(field.field, forms.CharField) else None


def messages(field: BoundField) -> list[str]:
    """The field's errors in GOV.UK's words.

    Django's own "Ensure this value has at most 120 characters (it has 500)" names no field and
    reads like a machine; a field without its own message for that says what GOV.UK says instead:
    "Full name must be 120 characters or fewer".
    """
    errors = field.form.errors.as_data().get(field.name, [])
    own = "max_length" in field.field.error_messages  # the form gave its own words for it
    said = []
    for error in errors:
        limit = character_limit(field)
        if error.code == "max_length" and limit is not None and not own:
            limit_text = number_format(limit, force_grouping=True)
            said.append(f"{_subject(field)} must be {limit_text} characters or fewer")
        else:
            said.extend(error.messages)
    return said


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern."""

    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            subwidget["part_label"] = part
        return context


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with GOV.UK's messages for each way it can be wrong.

    ``subject`` names the date in messages ("the date on the decision letter"); ``past_only``
    refuses dates after ``today`` (passed in so that tests and pages agree on the day).
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        subject: str,
        past_only: bool = False,
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.subject = subject
        self.past_only = past_only
        self.today = today
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {subject}"

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        day, month, year = (str(part or "").strip() for part in [*(data_list or []), "", "", ""][:3])
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        subject = self.subject[0].upper() + self.subject[1:]
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{subject} must include a {' and '.join(missing)}", code="incomplete")
        month_number = _month_number(month)
        if not (_is_number(day) and _is_number(year) and month_number):
            raise ValidationError(f"{subject} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            value = datetime.date(int(year), month_number, int(day))
        except (ValueError, OverflowError):  # a 20-digit day is too large for the C library
            raise ValidationError(f"{subject} must be a real date", code="invalid") from None
        today = self.today or timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{subject} must be today or in the past", code="future")
        return value


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _is_number(text: str) -> bool:
    """Plain digits 0-9 only: str.isdigit() also accepts characters such as superscripts."""
    return text.isascii() and text.isdecimal()


def _month_number(text: str) -> int | None:
    """Accept 3, 03, Mar or March, as people type months in different ways."""
    if _is_number(text):
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text.lower())


class GovukTimeField(forms.CharField):
    """A time of day in one box, read as people type it (2pm, 2:30pm or 14:30); cleans to a time.

    ``subject`` names the time in messages ("the call")."""

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", "For example, 2pm, 2:30pm or 14:30")
        kwargs.setdefault("error_messages", {"required": f"Enter the time of {subject}"})
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.time | datetime.datetime):
            return format_clock_time(value)
        return value

    def clean(self, value: Any) -> datetime.time | None:
        text = super().clean(value)
        if not text:
            return None
        moment = parse_clock_time(text)
        if moment is None and parse_clock_time(f"{text}pm") is not None:
            raise ValidationError(
                f"Enter am or pm for the time of {self.subject}, for example 2:30pm",
                code="needs_am_or_pm",
            )
        if moment is None:
            raise ValidationError(
                f"Enter the time of {self.subject} like 2pm, 2:30pm or 14:30", code="invalid"
            )
        return moment
