"""The page at /contact/."""

from __future__ import annotations

from django.utils.html import escape

from config.brand import brand
from sendmediation.website.content.stream import ASK_FOR_HELP, contact_details, heading, stream, text
from sendmediation.website.models import StandardPage

SLUG = "contact"


def page() -> StandardPage:
    b = brand()
    return StandardPage(
        slug=SLUG,
        title="Contact us",
        summary="Phone or email us about mediation advice, mediation or disagreement resolution.",
        body=stream(
            heading("Phone and email"),
            contact_details(),
            heading("Ask online"),
            text(
                f'<p>You can also <a href="{ASK_FOR_HELP}">ask for help online</a>. Have the '
                "decision letter with you if you have one.</p>"
            ),
            heading("Post"),
            text(f"<p>{escape(b['address'])}</p>"),
            heading("Help to contact us"),
            text(
                "<p>If you need an interpreter, British Sign Language (BSL) or another adjustment, "
                "tell us and we will arrange it.</p>"
            ),
        ),
    )
