"""The page at /mediation/."""

from __future__ import annotations

from sendmediation.website.content.stream import ASK_FOR_HELP, button, heading, inset, stream, text
from sendmediation.website.models import StandardPage

SLUG = "mediation"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="Mediation",
        summary=(
            "Mediation is a meeting where an independent mediator helps you and the local authority "
            "try to agree about an education, health and care (EHC) needs assessment or plan, "
            "without going to the SEND Tribunal."
        ),
        body=stream(
            heading("What mediation is"),
            text(
                "<p>At mediation, you and the local authority meet with a mediator. The mediator is "
                "independent: they do not work for the local authority or the health service, and "
                "they do not take sides.</p>"
                "<p>The mediator helps everyone understand each other, keeps your child's needs at "
                "the centre of the conversation, and helps you look for an answer you can all "
                "accept.</p>"
            ),
            heading("Decisions mediation can cover"),
            text(
                "<p>You can ask for mediation about a decision the local authority has made that you "
                "could appeal to the SEND Tribunal:</p>"
                "<ul><li>refusing to carry out an EHC needs assessment</li>"
                "<li>refusing to issue an EHC plan after an assessment</li>"
                "<li>the special educational needs described in the plan (section B)</li>"
                "<li>the special educational provision in the plan, which is the help your child "
                "will get (section F)</li>"
                "<li>the school or college named in the plan, the type of school, or no school being "
                "named (section I)</li>"
                "<li>refusing to carry out a new assessment (a re-assessment)</li>"
                "<li>refusing to change or replace the plan after a review</li>"
                "<li>deciding to stop keeping the plan (to cease to maintain it)</li></ul>"
                "<p>Mediation can also cover the health and social care parts of an EHC plan "
                "(sections C, D, G, H1 and H2).</p>"
            ),
            heading("It is free, and it is your choice"),
            text(
                "<p>Mediation is free for families. You do not have to go to mediation. If you "
                "choose it, the local authority must take part, and must send someone who can make "
                "decisions at the meeting.</p>"
                "<p>If the disagreement is about health care, someone from the health service (the "
                "integrated care board) may take part too.</p>"
            ),
            heading("Where and when it happens"),
            text(
                "<p>Mediation is usually one meeting of 2 to 3 hours. It can be at a venue near you "
                "or online, whichever suits you better. We tell you the date and place at least 5 "
                "working days before, unless you agree to a shorter time.</p>"
                "<p>Mediation should take place within 30 days of the local authority being told "
                "that you want it. If it cannot be arranged in time, we give you a mediation "
                "certificate so that you can still appeal.</p>"
            ),
            heading("Who can come"),
            text(
                "<p>You can bring one person to support you, such as a friend, a relative or an "
                "advocate. To bring more than one, everyone taking part (or the mediator) has to "
                "agree. Young people aged 16 to 25 can ask for mediation themselves.</p>"
                "<p>Tell us if you need an interpreter, British Sign Language (BSL) or any other "
                "help to take part, and we will arrange it.</p>"
            ),
            heading("What the mediator does and does not do"),
            text(
                "<p>The mediator will:</p>"
                "<ul><li>run the meeting and make sure everyone has their say</li>"
                "<li>keep the child's or young person's needs at the centre</li>"
                "<li>help you and the local authority look for solutions</li>"
                "<li>write down anything you agree</li></ul>"
                "<p>The mediator will not:</p>"
                "<ul><li>take sides or decide who is right</li>"
                "<li>make decisions for you or the local authority</li>"
                "<li>give you legal advice</li>"
                "<li>tell anyone outside the meeting what was said, unless someone is at risk of "
                "harm</li></ul>"
            ),
            heading("If you reach an agreement"),
            text(
                "<p>The mediator writes the agreement down in detail: who will do what, and by "
                "when. Everyone signs it, and everyone gets a copy.</p>"
                "<p>The law sets time limits for the local authority and the health service to do "
                "what they agreed.</p>"
            ),
            heading("If you do not agree"),
            text(
                "<p>After mediation we send you a mediation certificate within 3 working days, "
                "whether or not you reached an agreement. You can use it to appeal to the SEND "
                "Tribunal. You have until 2 months after the date on the decision letter, or 1 "
                "month after the date on the certificate, whichever is later.</p>"
            ),
            inset(
                '<p>Not sure whether mediation is right for you? <a href="/mediation-advice/">'
                "Mediation information and advice</a> is a short phone call that explains your "
                "choices.</p>"
            ),
            button("Ask for help", ASK_FOR_HELP),
        ),
    )
