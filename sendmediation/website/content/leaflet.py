"""The page at /leaflet/."""

from __future__ import annotations

from sendmediation.website.content.corrections import LEAFLET_CERTIFICATE
from sendmediation.website.content.stream import heading, stream, text, warning
from sendmediation.website.models import LeafletPage

SLUG = "leaflet"


def page() -> LeafletPage:
    return LeafletPage(
        slug=SLUG,
        title="Settling disagreements about special educational needs",
        summary="Our leaflet explains our free help on one sheet of paper, to print or share.",
        front=stream(
            text(
                "<p>We are an independent charity. We help families, children and young people "
                "settle disagreements about special educational needs and disability (SEND) without "
                "going to a tribunal. Our help is free for families.</p>"
            ),
            heading("Mediation information and advice"),
            text(
                "<p>To appeal to the SEND Tribunal about an education, health and care (EHC) needs "
                "assessment or plan, you must usually speak to a mediation adviser first. The "
                "adviser phones you for about 20 minutes, explains mediation and answers your "
                "questions. Then you choose: go to mediation, or take a mediation certificate.</p>"
            ),
            warning("Contact us within 2 months of the date on the local authority's decision letter."),
            heading("Mediation"),
            text(
                "<p>A meeting, usually of 2 to 3 hours, near you or online. An independent mediator "
                "helps you and the local authority talk and try to agree. The mediator does not "
                "take sides or make decisions. Mediation is your choice, but if you choose it the "
                "local authority must take part.</p>"
                "<p>If you agree, the mediator writes down who will do what, and by when. Everyone "
                "signs it and gets a copy.</p>"
            ),
            heading("Disagreement resolution"),
            text(
                "<p>A meeting about how a nursery, school, college, local authority or health service "
                "is meeting a child's special educational needs, with or without an EHC plan. You "
                "can ask at any time, even after you have appealed. Everyone has to agree to take "
                "part.</p>"
            ),
        ),
        back=stream(
            heading("Mediation, disagreement resolution or a certificate?"),
            text(
                "<ul><li><strong>Mediation</strong> is for a decision you can appeal to the SEND "
                "Tribunal. The local authority must come if you choose it.</li>"
                "<li><strong>Disagreement resolution</strong> is for other disagreements about "
                "special educational needs. Everyone must agree to take part. It never gives you a "
                "certificate.</li>" + LEAFLET_CERTIFICATE
            ),
            heading("Decisions mediation can cover"),
            text(
                "<ul><li>refusing to assess, or to re-assess, a child's needs</li>"
                "<li>refusing to issue an EHC plan</li>"
                "<li>the needs, the help, or the school or college in a plan</li>"
                "<li>refusing to change a plan after a review, or deciding to stop it</li>"
                "<li>the health and social care parts of a plan</li></ul>"
            ),
            heading("How to ask for help"),
            text(
                "<p>Ask online, phone or email us. Have the decision letter with you if you have "
                "one. Tell us if you need an interpreter, British Sign Language or any other help "
                "to take part. Young people aged 16 to 25 can ask for themselves.</p>"
            ),
        ),
    )
