"""The page at /privacy/."""

from __future__ import annotations

from django.utils.html import escape

from config.brand import brand
from sendmediation.website.content.stream import heading, stream, text
from sendmediation.website.models import StandardPage

SLUG = "privacy"


def page() -> StandardPage:
    b = brand()
    email = escape(b["email"])
    mail_link = f'<a href="mailto:{email}">{email}</a>'
    return StandardPage(
        slug=SLUG,
        title="Privacy notice",
        summary=(
            f"{b['organisation_name']} is the data controller for the information you give us. This "
            "notice explains what we collect, why, and your rights."
        ),
        body=stream(
            heading("What we collect"),
            text(
                "<p>When you ask for help we collect your name and contact details, your child's "
                "name and date of birth, your postcode, the local authority, the decision you "
                "disagree with and any access needs you tell us about. Information about a child's "
                "special educational needs, health or disability is special category data.</p>"
            ),
            heading("Why we use it"),
            text(
                "<p>We use it only to give you mediation advice, arrange mediation or disagreement "
                "resolution, issue mediation certificates and keep the records the law and our "
                "contracts with local authorities require. Our lawful basis is public task and, for "
                "special category data, substantial public interest.</p>"
            ),
            heading("Who sees it"),
            text(
                "<p>Only the staff working on your case, and the local authority or health service "
                "taking part in the mediation. Reports to local authorities contain numbers, never "
                "names.</p>"
            ),
            heading("Your rights"),
            text(
                "<p>You can ask to see, correct or delete your information. Email "
                f"{mail_link}. We record each correction or deletion and why. We cannot delete a "
                "case's record while the law needs us to keep it, for example once we have issued a "
                "mediation certificate or everyone has signed an agreement: we will tell you why. You "
                "can complain to the "
                '<a href="https://ico.org.uk/make-a-complaint/">Information Commissioner\'s '
                "Office</a>.</p>"
            ),
            # The table of periods follows this heading on the page, drawn from settings.RETENTION.
            heading("How long we keep it"),
        ),
    )
