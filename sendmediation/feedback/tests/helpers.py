"""Cases closed through the front doors, and a survey answered through its link."""

from __future__ import annotations

from typing import Any

from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import case_in
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import answer_survey, survey_token

ANSWERS: dict[str, Any] = {
    "satisfaction": "very_satisfied",
    "would_recommend": "yes",
    "agreement_held": "no_agreement",
    "appealed": "no",
}


def closed_case(personas: Any, **changes: Any) -> Case:
    return case_in(personas, Case.Status.CLOSED, **changes)


def answered(survey: FollowUpSurvey, **changes: Any) -> FollowUpSurvey:
    return answer_survey(token=survey_token(survey), **{**ANSWERS, **changes})
