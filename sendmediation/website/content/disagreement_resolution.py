"""The page at /disagreement-resolution/."""

from __future__ import annotations

from sendmediation.website.content.stream import ASK_FOR_HELP, button, heading, stream, text
from sendmediation.website.models import StandardPage

SLUG = "disagreement-resolution"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="Disagreement resolution",
        summary=(
            "Disagreement resolution is a meeting, led by an independent person, that helps settle a "
            "disagreement about how a child's or young person's special educational needs are being met."
        ),
        body=stream(
            heading("What it can help with"),
            text(
                "<p>Disagreement resolution can help with a disagreement:</p>"
                "<ul><li>between a family and the local authority, a school's or nursery's governors, "
                "an early years provider, a further education college or an academy, about how they "
                "carry out their duties to children and young people with special educational "
                "needs</li>"
                "<li>between a family and a nursery, school or college, about the special "
                "educational help it gives</li>"
                "<li>between a family and the health service (the integrated care board) or the "
                "local authority, about health or social care while a child or young person is "
                "being assessed, or while an EHC plan is being written, reviewed or changed</li>"
                "<li>between the local authority and the health service, while a child or young "
                "person is being assessed or a plan is being written</li></ul>"
            ),
            heading("Who can use it"),
            text(
                "<p>It is for any child or young person with special educational needs, whether or "
                "not they have an education, health and care (EHC) plan. Young people aged 16 to "
                "25 can ask for it themselves. It is free for families.</p>"
            ),
            heading("Everyone has to agree"),
            text(
                "<p>Disagreement resolution only happens if everyone involved agrees to take part. "
                "Nobody can be made to come.</p>"
            ),
            heading("You can use it at any time"),
            text(
                "<p>You can ask for disagreement resolution at any time, even after you have "
                "appealed to the SEND Tribunal. It does not stop you appealing.</p>"
            ),
            heading("What happens"),
            text(
                "<p>An independent person runs a meeting where everyone explains their point of "
                "view and looks for a way forward. It can be held near you or online. If you "
                "reach an agreement, it is written down: who will do what, and by when. Everyone "
                "signs it and gets a copy.</p>"
            ),
            heading("How it is different from mediation"),
            text(
                "<ul><li>Mediation is about a decision by the local authority that you can appeal "
                "to the SEND Tribunal, and if you choose it the local authority must take part. "
                "Disagreement resolution covers other disagreements, and everyone has to agree to "
                "take part.</li>"
                "<li>Disagreement resolution never gives you a mediation certificate. If you want to "
                'appeal, you still need <a href="/mediation-advice/">mediation information and '
                "advice</a> first, unless your appeal does not need a certificate.</li></ul>"
            ),
            button("Ask for help", ASK_FOR_HELP),
        ),
    )
