"""A field that takes several answers is drawn as checkboxes, never as radios that allow one."""

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    decisions = forms.MultipleChoiceField(
        choices=[("a", "Section B"), ("b", "Sections C and G")], widget=forms.CheckboxSelectMultiple
    )


def test_several_answers_are_checkboxes_with_every_saved_answer_ticked():
    html = Template("{% load govuk %}{% govuk_field form.decisions %}").render(
        Context({"form": _Form(initial={"decisions": ["a", "b"]})})
    )
    assert 'type="checkbox"' in html and 'type="radio"' not in html
    assert html.count("checked") == 2
