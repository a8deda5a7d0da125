"""Text fields say their limit in GOV.UK's words, naming the field, and never cut a paste short."""

from html import unescape

from django import forms

from sendmediation.common.templatetags.govuk import govuk_error_summary, govuk_field


class DetailsForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=120)
    language = forms.CharField(label="Which language?", max_length=100, required=False)
    needs = forms.CharField(label="What do you need? (optional)", max_length=2000, widget=forms.Textarea)
    reason = forms.CharField(
        label="Why?",
        max_length=50,
        widget=forms.Textarea,
        error_messages={"max_length": "Your reason must be 50 characters or fewer"},
    )
    note = forms.CharField(label="Note", widget=forms.Textarea)


def _bound(**data):
    form = DetailsForm(data={"name": "A", "needs": "B", "reason": "C", "note": "D", **data})
    form.is_valid()
    return form


def test_a_too_long_answer_names_the_field_in_gov_uk_words():
    form = _bound(name="x" * 500, language="y" * 101, needs="z" * 2001)
    name, language, needs = (unescape(govuk_field(form[field])) for field in ("name", "language", "needs"))
    assert "Full name must be 120 characters or fewer" in name
    assert 'Your answer to "Which language?" must be 100 characters or fewer' in language
    assert 'Your answer to "What do you need?" must be 2,000 characters or fewer' in needs
    summary = str(govuk_error_summary(form))
    assert "Full name must be 120 characters or fewer" in summary
    assert "Ensure this value" not in name + language + needs + summary


def test_a_field_with_its_own_words_keeps_them():
    form = _bound(reason="r" * 51)
    assert "Your reason must be 50 characters or fewer" in str(govuk_field(form["reason"]))
    assert "Your reason must be 50 characters or fewer" in str(govuk_error_summary(form))


def test_no_maxlength_attribute_so_a_long_paste_is_kept_and_explained():
    html = str(govuk_field(DetailsForm()["name"]))
    assert "maxlength" not in html
    # What was typed comes back whole, with the message, rather than cut short by the browser.
    form = _bound(name="x" * 130)
    assert 'value="' + "x" * 130 + '"' in str(govuk_field(form["name"]))


def test_a_long_text_box_with_a_limit_counts_characters():
    html = str(govuk_field(DetailsForm()["needs"]))
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="2000"' in html
    assert "govuk-js-character-count" in html
    assert 'id="id_needs-info"' in html and 'aria-describedby="id_needs-info' in html
    assert "You can enter up to 2,000 characters" in html
    assert "govuk-character-count" not in str(govuk_field(DetailsForm()["note"]))
