"""Corrections to words installed earlier that were wrong, made only where those words are untouched.

Earlier installs promised a video of a mediator that does not exist, and told families that an
appeal "only about" health or social care needs no certificate. There is no such appeal: the
Tribunal makes recommendations on health and social care only with an appeal about education,
which needs the certificate; the exemptions are an appeal only about section I and a disability
discrimination claim. A page whose words an editor has changed, or that has a draft waiting, is
left for the editor.
"""

from __future__ import annotations

from typing import NamedTuple


class Correction(NamedTuple):
    slug: str
    field: str
    wrong: str
    right: str


MEDIATION_ADVICE_EXEMPTIONS = (
    "<p>You can appeal without a certificate if your appeal is only about the school or college named "
    "in the EHC plan, the type of school or college, or that none is named (section I).</p>"
    "<p>You do not need one for a disability discrimination claim either: that is a claim to the "
    "Tribunal, not an appeal about an EHC plan.</p>"
    "<p>An appeal cannot be about the health or social care parts of a plan on their own. The Tribunal "
    "can make recommendations about them only as part of an appeal about education, such as sections "
    "B, F or I, and that appeal needs a certificate in the usual way.</p>"
    "<p>You can still choose mediation about any of these if you want to.</p>"
)

LEAFLET_CERTIFICATE = (
    "<li><strong>A mediation certificate</strong> is a document, not a meeting. You need it to appeal, "
    "unless the appeal is only about the school or college named in the plan, its type, or that none "
    "is named. A disability discrimination claim does not need one.</li></ul>"
)

MEDIATORS_VIEW_INTRODUCTION = (
    "<p>We asked one of our mediators what happens at a mediation meeting, from the first phone call "
    "to the signed agreement. This is what they told us.</p>"
)

CORRECTIONS = (
    Correction(
        slug="mediation-advice",
        field="body",
        wrong=(
            "<p>You can appeal without a certificate if your appeal is only about:</p>"
            "<ul><li>the school or college named in the EHC plan, the type of school, or no "
            "school being named (section I)</li>"
            "<li>the health or social care recommendations in the plan</li>"
            "<li>disability discrimination</li></ul>"
            "<p>You can still choose mediation about these if you want to.</p>"
        ),
        right=MEDIATION_ADVICE_EXEMPTIONS,
    ),
    Correction(
        slug="leaflet",
        field="back",
        wrong=(
            "<li><strong>A mediation certificate</strong> is a document, not a meeting. You "
            "need it to appeal, unless your appeal is only about the school or college named, "
            "health or social care, or disability discrimination.</li></ul>"
        ),
        right=LEAFLET_CERTIFICATE,
    ),
    Correction(
        slug="a-mediators-view",
        field="body",
        wrong=(
            "<p>We asked one of our mediators what happens at a mediation meeting. When we "
            "publish the video of this conversation, it will appear on this page with captions. "
            "The full text is below.</p>"
        ),
        right=MEDIATORS_VIEW_INTRODUCTION,
    ),
    Correction(
        slug="accessibility",
        field="body",
        wrong="<li>watch our videos with captions, or read a transcript instead</li>",
        right="<li>read everything as text: any video we add will have captions and a transcript</li>",
    ),
)


class Replacement(NamedTuple):
    """A whole field installed earlier, replaced only while it is exactly as we installed it."""

    slug: str
    field: str
    installed: str  # the stream as installed, in the JSON form ``stream()`` makes
    installed_summary: str  # replaced too, only if it is also as installed


def _useful_links_as_first_installed() -> str:
    from sendmediation.website.content.stream import DEADLINES, heading, link, stream, text

    return stream(
        heading("From us"),
        link(
            "Our leaflet (PDF, 2 pages)",
            "/leaflet.pdf",
            "Mediation advice, mediation and disagreement resolution on one sheet of paper",
        ),
        link("Work out your deadlines", DEADLINES, "From the date on the local authority's letter"),
        heading("The law and official guidance"),
        link(
            "Children with special educational needs and disabilities (SEND)",
            "https://www.gov.uk/children-with-special-educational-needs",
            "GOV.UK's guide for families",
        ),
        link(
            "SEND code of practice: 0 to 25 years",
            "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
            "Chapter 11 explains mediation and disagreement resolution",
        ),
        link(
            "The Special Educational Needs and Disability Regulations 2014",
            "https://www.legislation.gov.uk/uksi/2014/1530/contents",
            "Regulations 32 to 44 are about mediation",
        ),
        link(
            "Appeal to the SEND Tribunal",
            "https://www.gov.uk/courts-tribunals/first-tier-tribunal-special-educational-needs-and-disability",
            "How to appeal, and the appeal form",
        ),
        heading("Independent advice"),
        link(
            "IPSEA (Independent Provider of Special Education Advice)",
            "https://www.ipsea.org.uk/",
            "Free legal advice and guides about the law on special educational needs",
        ),
        text(
            "<p>Every local authority area also has a SEND information, advice and support "
            "service (SENDIASS). It gives free, impartial advice to families and young people. "
            "Your local authority's website tells you how to contact it.</p>"
        ),
    )


def _cookies_as_first_installed() -> str:
    from sendmediation.website.content.stream import stream, table, text

    return stream(
        text(
            "<p>We use only essential cookies. We do not use cookies to track you or for "
            "advertising, and we do not use analytics cookies.</p>"
        ),
        table(
            "Essential cookies",
            ["Name", "Purpose", "Expires"],
            [
                [
                    "sessionid",
                    "Remembers your answers while you fill in a request for help, and keeps staff signed in",
                    "8 hours",
                ],
                ["csrftoken", "Stops other websites sending forms in your name", "1 year"],
            ],
        ),
    )


# The first useful links page had loose links and no local help: an untouched one gets the new list.
REPLACEMENTS = (
    Replacement(
        "useful-documents-and-links",
        "body",
        _useful_links_as_first_installed(),
        "Documents to download, and other organisations that can help.",
    ),
    # The first cookies table was typed in, and said 8 hours where the request journey keeps the
    # cookie 7 days: an untouched one gets the table drawn from the settings.
    Replacement(
        "cookies",
        "body",
        _cookies_as_first_installed(),
        "Cookies are small files saved on your phone, tablet or computer when you visit a website.",
    ),
)
