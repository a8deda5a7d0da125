"""The page at /young-people/."""

from __future__ import annotations

from sendmediation.website.content.stream import ASK_FOR_HELP, button, details, heading, stream, text
from sendmediation.website.models import StandardPage

SLUG = "young-people"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="For young people",
        summary="If you are aged 16 to 25, you can ask for help yourself.",
        body=stream(
            heading("You can ask for yourself"),
            text(
                "<p>From the end of the school year in which you turn 16, you can make your own "
                "decisions about your education, health and care (EHC) plan. That means you can ask "
                "for mediation advice, mediation or disagreement resolution yourself. Your parents "
                "or carers can still help you if you want them to.</p>"
            ),
            heading("Your views matter most"),
            text(
                "<p>Mediation is about you, so your views are at the centre. You can:</p>"
                "<ul><li>come to the meeting, or to part of it</li>"
                "<li>write down or record what you want to say</li>"
                "<li>ask someone you trust to speak for you</li>"
                "<li>bring someone to support you</li></ul>"
            ),
            heading("Help to take part"),
            text(
                "<p>Tell us what would help you: a quiet room, breaks, meeting online, information "
                "in easy read, an interpreter or British Sign Language (BSL).</p>"
            ),
            heading("It is private"),
            text(
                "<p>The mediator does not tell anyone outside the meeting what was said, unless "
                "someone is at risk of harm.</p>"
            ),
            details(
                "What is the difference between mediation and disagreement resolution?",
                "<p>Mediation is about a decision by the local authority that you could appeal to "
                "the SEND Tribunal, such as what your EHC plan says. If you choose it, the local "
                "authority has to come.</p>"
                "<p>Disagreement resolution is for other disagreements, for example about the help "
                "your college gives you. Everyone has to agree to take part.</p>",
            ),
            button("Ask for help", ASK_FOR_HELP),
        ),
    )
