"""The page at /cookies/."""

from __future__ import annotations

from sendmediation.website.content.stream import cookie_table, stream, text
from sendmediation.website.models import StandardPage

SLUG = "cookies"


def page() -> StandardPage:
    return StandardPage(
        slug=SLUG,
        title="Cookies",
        summary=("Cookies are small files saved on your phone, tablet or computer when you visit a website."),
        body=stream(
            text(
                "<p>We use only essential cookies. We do not use cookies to track you or for "
                "advertising, and we do not use analytics cookies.</p>"
            ),
            cookie_table(),
        ),
    )
