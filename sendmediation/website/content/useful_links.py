"""The page at /useful-documents-and-links/: the public documents a family needs, and their local help."""

from __future__ import annotations

from sendmediation.website.content.stream import DEADLINES, document_list, local_support, stream
from sendmediation.website.models import UsefulLinksPage

SLUG = "useful-documents-and-links"


def page() -> UsefulLinksPage:
    return UsefulLinksPage(
        slug=SLUG,
        title="Useful documents and links",
        summary=(
            "The law and guidance on settling disagreements, the form to appeal to the SEND Tribunal, "
            "and where to get free, independent advice."
        ),
        body=stream(
            document_list(
                "From us",
                [
                    (
                        "Our leaflet (PDF, 2 pages)",
                        "/leaflet.pdf",
                        "Mediation advice, mediation and disagreement resolution on one sheet of paper, "
                        "to print or share",
                    ),
                    (
                        "Work out your deadlines",
                        DEADLINES,
                        "When to contact a mediation adviser and when to appeal, from the date on the "
                        "local authority's letter",
                    ),
                ],
            ),
            document_list(
                "Appealing to the SEND Tribunal",
                [
                    (
                        "Appeal an education, health and care (EHC) plan decision",
                        "https://www.gov.uk/appeal-ehc-plan-decision",
                        "GOV.UK's guide to appealing: when you can appeal, mediation first, and the "
                        "appeal form SEND35 (SEND35a for a refusal to assess) to fill in online or "
                        "download",
                    ),
                    (
                        "First-tier Tribunal (Special Educational Needs and Disability)",
                        "https://www.gov.uk/courts-tribunals/first-tier-tribunal-special-educational-needs-and-disability",
                        "The Tribunal's own page, with its forms and its guidance on how to appeal",
                    ),
                ],
            ),
            document_list(
                "The law and official guidance",
                [
                    (
                        "SEND code of practice: 0 to 25 years",
                        "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
                        'Chapter 11, "Resolving disagreements", explains mediation advice, mediation, '
                        "disagreement resolution and appeals",
                    ),
                    (
                        "Children with special educational needs and disabilities (SEND)",
                        "https://www.gov.uk/children-with-special-educational-needs",
                        "GOV.UK's guide for families: support in school, EHC plans and who to talk to",
                    ),
                    (
                        "The Special Educational Needs and Disability Regulations 2014",
                        "https://www.legislation.gov.uk/uksi/2014/1530/contents",
                        "Regulations 32 to 44 set out mediation and its time limits",
                    ),
                ],
            ),
            document_list(
                "Independent advice",
                [
                    (
                        "IPSEA (Independent Provider of Special Education Advice)",
                        "https://www.ipsea.org.uk/",
                        "Free legal advice and guides about the law on special educational needs, "
                        "including appeals",
                    ),
                ],
            ),
            local_support("Help where you live: your local offer and SENDIASS"),
        ),
    )
