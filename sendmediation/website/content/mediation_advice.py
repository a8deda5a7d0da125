"""The page at /mediation-advice/."""

from __future__ import annotations

from sendmediation.website.content.corrections import MEDIATION_ADVICE_EXEMPTIONS
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

SLUG = "mediation-advice"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="Mediation information and advice",
        summary=(
            "Before most appeals to the SEND Tribunal you must speak to a mediation adviser. We give "
            "this advice free, in a phone call of about 20 minutes."
        ),
        body=stream(
            heading("The phone call"),
            text(
                "<p>A mediation adviser phones you at a time that suits you. The call takes about "
                "20 minutes. The adviser explains what mediation is, how it works and what could "
                "happen next, and answers your questions. They do not take sides, and they will not "
                "push you to choose mediation.</p>"
            ),
            heading("After the call, you choose"),
            text(
                "<ul><li><strong>Go to mediation.</strong> We arrange a meeting with the local "
                'authority. <a href="/mediation/">Read about mediation</a>.</li>'
                "<li><strong>Take a mediation certificate.</strong> If you do not want mediation, we "
                "send you a certificate within 3 working days of you telling us.</li></ul>"
            ),
            heading("What a mediation certificate is"),
            text(
                "<p>A mediation certificate is a document, not a meeting. It shows that you have "
                "had mediation advice, or been to mediation. You send it to the SEND Tribunal with "
                "your appeal form.</p>"
                "<p>We give you a certificate:</p>"
                "<ul><li>after the advice call, if you decide not to go to mediation</li>"
                "<li>after mediation, whether or not you reached an agreement</li>"
                "<li>if the local authority cannot arrange mediation within 30 days</li></ul>"
            ),
            heading("When you do not need a certificate"),
            text(MEDIATION_ADVICE_EXEMPTIONS),
            heading("Contact us within 2 months"),
            warning(
                "You must contact us within 2 months of the date the local authority sent its "
                "decision letter."
            ),
            text(
                "<p>The 2 months start from the date on the letter, not the day it reached you. If "
                "you are near the end of the 2 months, contact us straight away.</p>"
                "<p>To appeal, you then have until 2 months after the date on the decision letter, "
                "or 1 month after the date on your certificate, whichever is later.</p>"
                f'<p><a href="{DEADLINES}">Work out your deadlines</a> from the date on your '
                "letter.</p>"
            ),
            button("Ask for help", ASK_FOR_HELP),
        ),
    )
