"""The home page: what the service is, the ways we help and where to read more."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sendmediation.website.content.stream import heading, links, stream, text, way

TITLE = "Help to settle a disagreement about special educational needs"
INTRO = (
    "<p>We help families, children and young people settle disagreements about special "
    "educational needs and disability (SEND) without going to a tribunal. We can help if you "
    "disagree with the local authority, a school, a college or the health service.</p>"
    "<p>Our help is free for families. We are an independent charity: we do not work for any "
    "local authority or health service.</p>"
)


def fields(pages: Mapping[str, int]) -> dict[str, Any]:
    """The home page's content; ``pages`` maps the slugs of the pages installed under it to their ids."""
    return {
        "intro": INTRO,
        "ways_heading": "How we can help",
        "ways_we_help": stream(
            way(
                "Mediation information and advice",
                "A phone call of about 20 minutes. We explain mediation and answer your questions. You "
                "need to speak to us before most appeals to the SEND Tribunal, and we give you the "
                "mediation certificate you need to appeal.",
                pages["mediation-advice"],
            ),
            way(
                "Mediation",
                "A meeting where an independent mediator helps you and the local authority try to agree "
                "about an education, health and care (EHC) needs assessment or plan. It is your choice, "
                "and if you choose it the local authority must take part.",
                pages["mediation"],
            ),
            way(
                "Disagreement resolution",
                "A meeting to settle other disagreements about how a child's special educational needs "
                "are being met, with or without an EHC plan, at any time. Everyone has to agree to take "
                "part.",
                pages["disagreement-resolution"],
            ),
        ),
        "body": stream(
            heading("Mediation, disagreement resolution or a certificate?"),
            text(
                "<p><strong>Mediation</strong> is for a decision by the local authority that you can "
                "appeal to the SEND Tribunal, such as refusing to assess your child, or what an EHC plan "
                "says. Going is your choice, but if you choose it the local authority must come.</p>"
                "<p><strong>Disagreement resolution</strong> is for other disagreements about special "
                "educational needs, for example about the help a school gives. Everyone involved has to "
                "agree to take part. It can happen at any time, even after an appeal has started.</p>"
                "<p><strong>A mediation certificate</strong> is a document, not a meeting. It shows that "
                "you have had mediation advice, or been to mediation. You usually need one to appeal to "
                "the SEND Tribunal. Disagreement resolution never gives you a certificate.</p>"
            ),
            links(
                "More information",
                [
                    ("For young people", "/young-people/", "If you are 16 to 25, you can ask for yourself"),
                    ("For professionals", "/professionals/", "Refer a family, with their permission"),
                    ("Mediation from a mediator's view", "/a-mediators-view/", "What happens on the day"),
                    (
                        "Useful documents and links",
                        "/useful-documents-and-links/",
                        "The SEND Code of Practice, the appeal form, and where to get free advice",
                    ),
                    ("Our leaflet", "/leaflet/", "To print or share"),
                ],
            ),
        ),
        "testimonials_heading": "What families say",
    }
