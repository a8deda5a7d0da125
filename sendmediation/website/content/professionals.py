"""The page at /professionals/."""

from __future__ import annotations

from sendmediation.website.content.stream import (
    ASK_FOR_HELP,
    DEADLINES,
    button,
    heading,
    stream,
    text,
    warning,
)
from sendmediation.website.models import StandardPage

SLUG = "professionals"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="For professionals",
        summary=(
            "Schools, colleges, local authority officers, health professionals and SENDIASS advisers "
            "can refer a family to us, but only with the family's permission."
        ),
        body=stream(
            heading("Refer only with the family's permission"),
            warning(
                "Only refer a family or young person who has agreed to it. We will ask you to "
                "confirm that they agreed, and we record it."
            ),
            text(
                "<p>When you refer, tell us how to contact the parent or young person, which local "
                "authority is responsible, the decision or disagreement, the date on the decision "
                "letter if there is one, and anything they need to take part, such as an "
                "interpreter.</p>"
            ),
            heading("Deadlines"),
            text(
                "<p>Families must contact us within 2 months of the date on the local authority's "
                "decision letter if they may want to appeal. Please refer as early as you can. "
                f'<a href="{DEADLINES}">Work out the deadlines</a>.</p>'
            ),
            heading("Local authority officers"),
            text(
                "<p>If a family chooses mediation, the local authority must take part. Please send "
                "someone who can make decisions at the meeting. The law sets time limits for "
                "holding the mediation and for doing what was agreed.</p>"
            ),
            heading("Schools, colleges and early years providers"),
            text(
                "<p>Disagreement resolution can help when a family disagrees with you about the "
                "special educational help you give. It only goes ahead if everyone agrees to take "
                "part.</p>"
            ),
            heading("Health services"),
            text(
                "<p>Where a disagreement includes health care, the integrated care board may be "
                "asked to take part in mediation or disagreement resolution.</p>"
            ),
            button("Refer a family", ASK_FOR_HELP),
        ),
    )
