"""The page at /accessibility/."""

from __future__ import annotations

from django.utils.html import escape

from config.brand import brand
from sendmediation.website.content.stream import heading, stream, text
from sendmediation.website.models import StandardPage

SLUG = "accessibility"


def page() -> StandardPage:
    b = brand()
    phone, email = escape(b["phone"]), escape(b["email"])
    mail_link = f'<a href="mailto:{email}">{email}</a>'
    return StandardPage(
        slug=SLUG,
        title="Accessibility statement",
        summary=(
            f"{b['organisation_name']} runs this website. We want as many people as possible to be "
            "able to use it."
        ),
        body=stream(
            text(
                "<p>You should be able to:</p>"
                "<ul><li>change colours, contrast levels and fonts using your browser or device "
                "settings</li>"
                "<li>zoom in up to 400% without the text spilling off the screen</li>"
                "<li>get around the website using just a keyboard</li>"
                "<li>use the website with a screen reader</li>"
                "<li>use every page, including the request for help, with JavaScript turned off</li>"
                "<li>read everything as text: any video we add will have captions and a transcript</li></ul>"
            ),
            heading("How accessible this website is"),
            text(
                "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at "
                "level AA. We test every page with automated checks, and by using the pages with a "
                "keyboard and a screen reader. Our leaflet is a tagged PDF, so screen readers can "
                "read it, and the same words are on a web page.</p>"
            ),
            heading("If you need information in a different format"),
            text(
                "<p>If you need information on this website in a different format, such as large "
                f"print, easy read, audio or British Sign Language (BSL), phone us on {phone} or "
                f"email {mail_link}. {escape(b['reply_within'])}</p>"
            ),
            heading("Reporting accessibility problems"),
            text(
                "<p>If you find a problem that is not listed on this page, or you think we are not "
                f"meeting accessibility requirements, email {mail_link}.</p>"
            ),
            heading("Enforcement procedure"),
            text(
                "<p>If you are not happy with how we respond to your complaint, contact the "
                '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support '
                "Service (EASS)</a>.</p>"
            ),
        ),
    )
