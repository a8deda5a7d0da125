"""Useful documents and links: a GOV.UK document list kept in the CMS, and the family's local help."""

import json
import re
from html import unescape
from io import StringIO

import pytest

from sendmediation.common.session_keys import CHECKED_POSTCODE
from sendmediation.localities.management.commands.load_demo_coverage import demo_local_support
from sendmediation.localities.models import LocalAuthority
from sendmediation.website.local_support import SESSION_KEY
from sendmediation.website.models import UsefulLinksPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

PAGE = "/useful-documents-and-links/"
WESTMINSTER = "E09000033"


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('id="main-content"', 1)[1].split("</main>", 1)[0]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _entries(html: str) -> list[tuple[str, str, str]]:
    """(address, link text, description) of each document list entry."""
    return [
        (href, unescape(title), unescape(description))
        for href, title, description in re.findall(
            r'<a class="govuk-link govuk-!-font-weight-bold app-document-list__title" href="([^"]+)">'
            r"([^<]+)</a>\s*<p class=\"govuk-body-s app-document-list__description\">(.*?)</p>",
            html,
            re.S,
        )
    ]


def _with_westminster_support() -> None:
    LocalAuthority.objects.filter(code=WESTMINSTER).update(**demo_local_support(WESTMINSTER, 33))


def test_the_installed_page_lists_the_documents_a_family_needs(client):
    entries = {href: (title, about) for href, title, about in _entries(_main(client.get(PAGE)))}
    code_of_practice = entries["https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"]
    assert code_of_practice[0] == "SEND code of practice: 0 to 25 years"
    assert 'Chapter 11, "Resolving disagreements"' in code_of_practice[1]
    appeal = entries["https://www.gov.uk/appeal-ehc-plan-decision"]
    assert "SEND35" in appeal[1] and "SEND35a" in appeal[1]
    tribunal = (
        "https://www.gov.uk/courts-tribunals/first-tier-tribunal-special-educational-needs-and-disability"
    )
    assert entries[tribunal][0] == "First-tier Tribunal (Special Educational Needs and Disability)"
    assert entries["https://www.ipsea.org.uk/"][0].startswith("IPSEA")
    assert entries["/leaflet.pdf"][0] == "Our leaflet (PDF, 2 pages)"
    assert "/deadlines/" in entries


def test_each_entry_reads_as_a_gov_uk_document_list(client):
    main = _main(client.get(PAGE))
    assert main.count('<ul class="govuk-list app-document-list">') == 4
    # The link is the main line; the description and where it goes follow in smaller, secondary text.
    assert re.search(
        r'<li class="app-document-list__item">\s*<a class="govuk-link govuk-!-font-weight-bold '
        r'app-document-list__title" href="https://www.ipsea.org.uk/">IPSEA[^<]*</a>\s*'
        r'<p class="govuk-body-s app-document-list__description">Free legal advice[^<]*</p>\s*'
        r'<p class="govuk-body-s app-document-list__meta">ipsea.org.uk</p>',
        main,
    )
    assert '<p class="govuk-body-s app-document-list__meta">GOV.UK</p>' in main
    lists = main.split('id="local-support"', 1)[0]
    assert "govuk-hint" not in lists, "hint text is for form fields, not for descriptions"


def test_editors_change_the_list_in_the_cms():
    page = UsefulLinksPage.objects.get()
    lists = [block for block in page.body if block.block_type == "document_list"]
    assert [block.value["heading"] for block in lists] == [
        "From us",
        "Appealing to the SEND Tribunal",
        "The law and official guidance",
        "Independent advice",
    ]
    assert [block.block_type for block in page.body][-1] == "local_support"


def test_without_a_postcode_the_page_asks_for_one(client):
    main = _main(client.get(PAGE))
    assert '<form method="post" action="#local-support" novalidate>' in main
    assert 'id="local-support-postcode"' in main and 'autocomplete="postal-code"' in main
    assert "Enter the postcode where the child or young person lives to find theirs." in _text(main)


def test_the_postcode_checked_earlier_finds_the_local_offer_and_sendiass(client):
    _with_westminster_support()
    session = client.session
    session[CHECKED_POSTCODE] = "SW1A 1AA"
    session.save()
    response = client.get(PAGE)
    main = _main(response)
    assert "For Westminster , the local authority for the postcode you gave us:" in _text(main)
    entries = {href: title for href, title, _ in _entries(main)}
    assert entries["https://local-offer.westminster.example"] == "Westminster local offer"
    assert entries["https://sendiass.westminster.example"] == "Westminster SENDIASS"
    assert '<a class="govuk-link" href="tel:01632960533">01632 960533</a>' in main
    assert 'value="SW1A' not in main and "SW1A 1AA is" not in main, "the postcode is not repeated"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_postcode_typed_on_the_page_is_posted_and_only_its_authority_is_kept(client):
    _with_westminster_support()
    response = client.post(PAGE, {"postcode": "sw1a 1aa"})
    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}#local-support"
    assert client.session[SESSION_KEY] == WESTMINSTER
    assert "sw1a" not in str(dict(client.session)).lower()
    assert "Westminster local offer" in _main(client.get(PAGE))


def test_an_authority_without_recorded_addresses_points_to_its_website(client):
    client.post(PAGE, {"postcode": "SW1A 1AA"})
    text = _text(_main(client.get(PAGE)))
    assert "We do not have the addresses of its local offer and SENDIASS yet." in text
    assert "Find Westminster's website on GOV.UK" in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode"),
        ("not a postcode", "Enter a full UK postcode, like SW1A 1AA"),
        ("SW1A 9ZZ", "We could not find that postcode"),
        ("CF10 1EP", "Enter a postcode in England"),
    ],
)
def test_a_wrong_postcode_is_shown_with_its_error_after_a_redirect(client, typed, message):
    response = client.post(PAGE, {"postcode": typed})
    assert response.status_code == 303 and response["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert "<title>Error: Useful documents and links" in html
    assert '<div class="govuk-error-summary"' in html
    assert f'<a href="#local-support-postcode">{message}</a>' in html
    assert SESSION_KEY not in client.session
    assert "Error:" not in client.get(PAGE).content.decode().split("</title>")[0], "shown once"


def test_an_editor_opens_the_page_in_the_cms(personas):
    from django.test import Client

    personas.manager.is_superuser = True
    personas.manager.save()
    editor = Client()
    editor.force_login(personas.manager)
    response = editor.get(f"/cms/pages/{UsefulLinksPage.objects.get().pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Document list" in html and "Local support" in html


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ({"text": "Go", "address": ""}, "address", "Choose a document or a page, or enter an address"),
        (
            {"text": "Go", "address": "https://www.gov.uk/", "page": 1},
            "address",
            "Choose a document or a page, or enter an address",
        ),
        ({"text": "", "address": "https://www.gov.uk/"}, "text", "Enter the link text"),
        ({"text": "Go", "address": "javascript:alert(1)"}, "address", "Enter an address on this website"),
    ],
)
def test_a_listed_document_needs_one_target_and_words_for_its_link(value, field, message):
    from django.core.exceptions import ValidationError

    from sendmediation.website.blocks import ListedDocumentBlock

    block = ListedDocumentBlock()
    raw = {"text": "", "document": None, "page": None, "address": "", "description": "", **value}
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(raw))
    assert message in str(error.value.block_errors[field])  # type: ignore[attr-defined]


def _as_first_installed() -> UsefulLinksPage:
    from sendmediation.website.content.corrections import REPLACEMENTS

    page = UsefulLinksPage.objects.get()
    page.body = REPLACEMENTS[0].installed
    page.summary = REPLACEMENTS[0].installed_summary
    page.save_revision().publish()
    return page


def test_a_page_left_as_first_installed_gets_the_document_list(client):
    from io import StringIO

    from django.core.management import call_command

    _as_first_installed()
    assert "app-document-list" not in _main(client.get(PAGE))
    output = StringIO()
    call_command("install_site_content", stdout=output)
    assert "corrections to useful-documents-and-links" in output.getvalue()
    main = _main(client.get(PAGE))
    assert main.count('<ul class="govuk-list app-document-list">') == 4
    assert "The law and guidance on settling disagreements" in main


def test_a_page_an_editor_changed_keeps_their_words(client):
    from django.core.management import call_command

    page = _as_first_installed()
    page.summary = "Our own summary"
    blocks = [dict(block) for block in page.body.raw_data]
    blocks[0]["value"] = {"text": "Our documents", "level": "h2"}
    page.body = json.dumps(blocks)
    page.save_revision().publish()
    call_command("install_site_content", stdout=StringIO())
    main = _main(client.get(PAGE))
    assert "Our documents" in main and "Our own summary" in main
    assert "app-document-list" not in main
