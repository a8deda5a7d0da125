"""Render Django form fields and errors as GOV.UK Design System components."""

import html
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from sendmediation.common.govuk_forms import DateInputWidget, character_limit, messages

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, DateInputWidget):
        return "date"
    # Django's CheckboxSelectMultiple is a kind of RadioSelect, so it must be asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.simple_tag
def govuk_field(field: BoundField, **options: Any) -> SafeString:
    """Render one field. Options: page_heading, label_class, legend_class, input_class, hint."""
    kind = _kind(field.field.widget)
    errors = messages(field)
    widget_id = field.auto_id or f"id_{field.html_name}"
    context = {
        "field": field,
        "kind": kind,
        "id": widget_id,
        "error": errors[0] if errors else "",
        "hint": options.get("hint", field.help_text),
        "page_heading": options.get("page_heading", False),
        "label_class": options.get("label_class", ""),
        "legend_class": options.get("legend_class", "govuk-fieldset__legend--m"),
        "input_class": options.get("input_class", field.field.widget.attrs.get("class", "")),
        "autocomplete": options.get("autocomplete", ""),
        "spellcheck": options.get("spellcheck"),
        # No maxlength attribute: a browser would cut a long paste short without a word. The limit
        # is said in the hint (and counted as the person types), and checked on the server.
        "attrs": {k: v for k, v in field.field.widget.attrs.items() if k not in {"class", "maxlength"}},
        "limit": character_limit(field),
    }
    if context["limit"] is not None:
        context["limit_text"] = number_format(context["limit"], force_grouping=True)
    if kind in {"radios", "checkboxes"}:
        selected = field.value()
        selected_values = (
            {str(v) for v in selected} if isinstance(selected, list | tuple) else {str(selected)}
        )
        context["choices"] = [
            {
                "value": value,
                "label": label,
                "id": widget_id if index == 0 else f"{widget_id}_{index}",
                "checked": str(value) in selected_values,
            }
            for index, (value, label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
            if value != ""
        ]
    if kind == "select":
        # The options are made here, not in the template: a list of every authority or every member
        # of staff is hundreds of options, and a template loop over them costs milliseconds a page.
        # The standard library's escape, which Django's wraps, escapes the same five characters.
        current = str(field.value())
        context["options"] = mark_safe(  # noqa: S308 - each value and label is escaped
            "\n".join(
                f'<option value="{html.escape(str(value))}"{" selected" if str(value) == current else ""}>'
                f"{html.escape(str(label))}</option>"
                for value, label in field.field.choices  # type: ignore[attr-defined]
            )
        )
    if kind == "date":
        values = field.value()
        if not isinstance(values, list | tuple):
            values = field.field.widget.decompress(values)
        context["parts"] = [
            {
                "name": f"{field.html_name}_{i}",
                "id": f"{widget_id}_{i}",
                "label": part,
                "value": values[i] or "",
                "width": 4 if i == 2 else 2,
                "autocomplete": options.get("autocomplete_parts", ["", "", ""])[i],
            }
            for i, part in enumerate(("Day", "Month", "Year"))
        ]
    return render_to_string(f"govuk/field_{kind}.html", context)


@register.simple_tag
def govuk_error_summary(*forms_: forms.BaseForm) -> SafeString:
    """The error summary at the top of a page: each error links to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append({"href": "", "message": message})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id or f"id_{name}"
            if isinstance(bound.field.widget, DateInputWidget):
                target = f"{target}_0"
            said = messages(bound)
            items.append({"href": f"#{target}", "message": said[0] if said else errors[0]})
    return render_to_string("govuk/error_summary.html", {"items": items})
