"""The survey's one page of questions. The form checks what was typed; the service decides."""

from __future__ import annotations

from django import forms

from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import COMMENT_LIMIT

Survey = FollowUpSurvey


def _radios(label: str, choices: list[tuple[str, str]], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class SurveyForm(forms.Form):
    satisfaction = _radios(
        "How satisfied are you with the service we gave you?",
        Survey.Satisfaction.choices,
        "Choose how satisfied you are",
    )
    would_recommend = _radios(
        "Would you recommend us to another family?",
        Survey.Recommend.choices,
        "Choose whether you would recommend us",
    )
    agreement_held = _radios(
        "If you reached an agreement, has it been kept?",
        Survey.AgreementHeld.choices,
        "Choose whether the agreement has been kept",
    )
    appealed = _radios(
        "Did you appeal to the SEND Tribunal after your case with us?",
        Survey.Appealed.choices,
        "Choose whether you appealed to the Tribunal",
    )
    comment = forms.CharField(
        label="Anything else you would like to tell us (optional)",
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Please do not include names.",
    )
    comment_may_be_published = forms.BooleanField(
        label="You may publish my comment on your website without my name",
        required=False,
        help_text=(
            "We take out any names before we publish it, and show only whether a parent or young person "
            "said it and your local authority's area."
        ),
    )
