"""GOV.UK radios and checkboxes with option hints, an "or" divider and conditionally revealed questions.

Without JavaScript every revealed question shows, so the page still works; with it, GOV.UK
Frontend shows each one only while its option is selected.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from sendmediation.common.templatetags.govuk import govuk_field
from sendmediation.intake.forms import ChoiceField, MultipleChoiceField, QuestionForm

register = template.Library()


@register.simple_tag
def govuk_choices(form: QuestionForm, name: str, **options: Any) -> SafeString:
    """Render ``form[name]``; options: page_heading, legend_class, small."""
    bound = form[name]
    field = bound.field
    assert isinstance(field, ChoiceField | MultipleChoiceField)
    multiple = isinstance(field, forms.MultipleChoiceField)
    kind = "checkboxes" if multiple else "radios"
    widget_id = bound.auto_id or f"id_{name}"
    value = bound.value()
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    errors = list(bound.errors)
    items = []
    choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
    for index, (choice, label) in enumerate(choices):
        if choice == "":
            continue
        item_id = widget_id if index == 0 else f"{widget_id}_{index}"
        conditional = ""
        names = field.conditionals.get(str(choice), [])
        if names:
            conditional = mark_safe(  # noqa: S308 - built from escaped field templates
                "".join(govuk_field(form[sub], **form.options(sub)) for sub in names if sub in form.fields)
            )
        items.append(
            {
                "value": choice,
                "label": label,
                "id": item_id,
                "checked": str(choice) in selected,
                "hint": field.hints.get(str(choice), ""),
                "divider_before": bool(field.divider_before) and str(choice) == str(field.divider_before),
                "exclusive": bool(field.exclusive) and str(choice) == str(field.exclusive),
                "conditional": conditional,
            }
        )
    hint = options.get("hint", field.help_text)
    described = " ".join(
        part for part, present in ((f"{widget_id}-hint", hint), (f"{widget_id}-error", errors)) if present
    )
    context = {
        "kind": kind,
        "input_type": "checkbox" if multiple else "radio",
        "name": bound.html_name,
        "id": widget_id,
        "label": field.label,
        "hint": hint,
        "error": errors[0] if errors else "",
        "described_by": described,
        "page_heading": options.get("page_heading", False),
        "legend_class": options.get(
            "legend_class",
            "govuk-fieldset__legend--l" if options.get("page_heading") else "govuk-fieldset__legend--m",
        ),
        "small": options.get("small", False),
        "items": items,
    }
    return render_to_string("intake/fields/choices.html", context)


@register.simple_tag
def intake_field(form: QuestionForm, name: str, **options: Any) -> SafeString:
    """The shared govuk_field with this form's options for the field (autocomplete and so on)."""
    return govuk_field(form[name], **{**form.options(name), **options})
