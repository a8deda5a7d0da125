"""The follow-up survey's part in the retention schedule (``cases.retention``)."""

from __future__ import annotations

from sendmediation.cases.models import Case
from sendmediation.feedback.models import FollowUpSurvey, new_link_key


def anonymise_survey(case: Case) -> None:
    """The family's comment goes (and with it the agreement to publish it, which needs a comment),
    and a new link key stops any survey link still unused. The four answers stay: they are what the
    reports count (SEN2 appeals), and none of them says who answered. A testimonial already made
    from the comment was stripped of names and published with the family's agreement, so it stays."""
    FollowUpSurvey.objects.filter(case=case).update(
        comment="", comment_may_be_published=False, link_key=new_link_key()
    )
