import datetime
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from wagtail.documents.models import Document
from wagtail.models import Page

from sendmediation.localities.models import LocalAuthority
from sendmediation.website import blocks, models
from sendmediation.website.content.testimonials import TESTIMONIALS
from sendmediation.website.models import ArticlePage, StandardPage, UsefulLinksPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello, I am one of the mediators.\n"


def _home() -> Page:
    return Page.objects.get(depth=2)


def _publish_child(page: Page) -> Page:
    _home().add_child(instance=page)
    page.save_revision().publish()
    return page


def _document(title: str, name: str, content: bytes) -> Document:
    document = Document(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


# Testimonials


@pytest.fixture
def covered_areas() -> None:
    """The installed testimonials' areas, covered as the demo covers them."""
    LocalAuthority.objects.filter(code__in=[t.area_code for t in TESTIMONIALS]).update(
        covered_from=datetime.date(2024, 4, 1), covered_to=None
    )


def _escaped(quote: str) -> str:
    return quote.replace("'", "&#x27;")


@pytest.mark.usefixtures("covered_areas")
def test_only_testimonials_with_consent_are_shown(client):
    html = client.get("/").content.decode()
    for testimonial in TESTIMONIALS:
        assert (_escaped(testimonial.quote) in html) is testimonial.consented, testimonial.attribution
    assert models.Testimonial.objects.count() == len(TESTIMONIALS)


@pytest.mark.usefixtures("covered_areas")
def test_withdrawing_consent_takes_a_testimonial_off_the_home_page(client):
    testimonial = models.Testimonial.objects.with_consent().first()
    assert testimonial is not None
    assert _escaped(testimonial.quote) in client.get("/").content.decode()
    testimonial.consent_recorded = False
    testimonial.save()
    assert testimonial not in models.Testimonial.objects.with_consent()
    assert _escaped(testimonial.quote) not in client.get("/").content.decode()


def test_only_testimonials_from_areas_we_cover_today_are_shown(client):
    today = datetime.date.today()
    areas = {code: LocalAuthority.objects.get(code=code) for code in ("E09000033", "E10000016", "E06000014")}
    LocalAuthority.objects.filter(code="E09000033").update(covered_from=datetime.date(2023, 4, 1))
    LocalAuthority.objects.filter(code="E06000014").update(
        covered_from=datetime.date(2023, 4, 1), covered_to=today - datetime.timedelta(days=1)
    )
    models.Testimonial.objects.all().delete()
    for quote, area in [
        ("Said in Westminster, covered", areas["E09000033"]),
        ("Said in Kent, never covered", areas["E10000016"]),
        ("Said in York, covered until yesterday", areas["E06000014"]),
        ("Said somewhere unknown", None),
    ]:
        models.Testimonial.objects.create(
            quote=quote, attribution="Parent", area=area, consent_recorded=True, consent_date=today
        )
    html = client.get("/").content.decode()
    assert "Said in Westminster, covered" in html
    for hidden in ("Said in Kent", "Said in York", "Said somewhere unknown"):
        assert hidden not in html, hidden


def test_the_installed_testimonials_come_from_areas_the_demo_covers():
    from sendmediation.localities.management.commands.load_demo_coverage import demo_coverage

    covered = {code for code, values in demo_coverage().items() if values["covered_from"] is not None}
    for testimonial in TESTIMONIALS:
        assert testimonial.area_code in covered, testimonial.attribution
        installed = models.Testimonial.objects.select_related("area").get(quote=testimonial.quote)
        assert installed.area is not None and installed.area.code == testimonial.area_code


@pytest.mark.usefixtures("covered_areas")
def test_the_home_page_shows_at_most_three_testimonials(client):
    for number in range(3):
        models.Testimonial.objects.create(
            quote=f"Extra quote {number}",
            attribution="Parent, Surrey",
            area=LocalAuthority.objects.get(code="E10000030"),
            consent_recorded=True,
            consent_date=datetime.date(2026, 1, 1),
        )
    assert models.Testimonial.objects.shown_on_website(on=datetime.date.today()).count() == 6
    assert client.get("/").content.decode().count('class="govuk-inset-text app-testimonial"') == 3


def test_consent_needs_a_date_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Testimonial.objects.create(
            quote="Q", attribution="Parent", consent_recorded=True, consent_date=None
        )


def test_consent_needs_a_date_that_has_passed():
    missing = models.Testimonial(quote="Q", attribution="Parent", consent_recorded=True)
    with pytest.raises(ValidationError) as error:
        missing.full_clean()
    assert error.value.message_dict["consent_date"] == ["Enter the date the person agreed"]
    future = models.Testimonial(
        quote="Q",
        attribution="Parent",
        consent_recorded=True,
        consent_date=datetime.date.today() + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as error:
        future.full_clean()
    assert error.value.message_dict["consent_date"] == ["The date they agreed must be today or in the past"]


# Blocks


def test_every_content_block_is_drawn_as_a_gov_uk_component(client):
    mediation = Page.objects.get(slug="mediation")
    body = [
        {"type": "heading", "value": {"text": "A section", "level": "h2"}},
        {"type": "heading", "value": {"text": "A sub-section", "level": "h3"}},
        {"type": "text", "value": "<p>Plain <b>words</b></p><ul><li>one</li></ul>"},
        {"type": "inset_text", "value": "<p>Set apart</p>"},
        {"type": "warning_text", "value": "Be quick"},
        {"type": "details", "value": {"summary": "More", "text": "<p>Hidden text</p>"}},
        {"type": "button", "value": {"text": "Ask for help", "page": None, "address": "/request/"}},
        {
            "type": "links",
            "value": {
                "heading": "See also",
                "links": [
                    {"text": "Mediation", "page": mediation.pk, "address": "", "description": "What it is"},
                    {"text": "GOV.UK", "page": None, "address": "https://www.gov.uk/", "description": ""},
                ],
            },
        },
        {
            "type": "table",
            "value": {"caption": "Times", "headers": ["Day", "Hours"], "rows": [["Monday", "9 to 5"]]},
        },
        {"type": "contact_details", "value": None},
    ]
    _publish_child(StandardPage(title="Everything", slug="everything", body=json.dumps(body)))
    html = client.get("/everything/").content.decode()
    for fragment in [
        '<h2 class="govuk-heading-m">A section</h2>',
        '<h3 class="govuk-heading-s">A sub-section</h3>',
        '<div class="app-prose"><p>Plain <b>words</b></p><ul><li>one</li></ul></div>',
        '<div class="govuk-inset-text app-prose"><p>Set apart</p></div>',
        '<span class="govuk-visually-hidden">Warning</span>Be quick</strong>',
        '<span class="govuk-details__summary-text">More</span>',
        '<div class="govuk-details__text app-prose"><p>Hidden text</p></div>',
        '<a href="/request/" role="button" draggable="false" class="govuk-button" data-module="govuk-button">'
        "Ask for help</a>",
        '<h2 class="govuk-heading-m">See also</h2>',
        '<a class="govuk-link" href="/mediation/">Mediation</a>',
        '<a class="govuk-link" href="https://www.gov.uk/">GOV.UK</a>',
        '<caption class="govuk-table__caption govuk-table__caption--m">Times</caption>',
        '<th scope="col" class="govuk-table__header">Hours</th>',
        '<td class="govuk-table__cell">9 to 5</td>',
        'href="mailto:help@kestrel-mediation.example"',
    ]:
        assert fragment in html, fragment


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"text": "Go", "page": None, "address": ""}, "Choose a page or enter an address, not both"),
        ({"text": "Go", "page": 1, "address": "/request/"}, "Choose a page or enter an address, not both"),
        ({"text": "Go", "page": None, "address": "javascript:alert(1)"}, "Enter an address on this website"),
    ],
)
def test_a_link_needs_one_page_or_a_safe_address(value, message):
    block = blocks.ButtonBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(value))
    errors: Any = error.value
    assert message in str(errors.block_errors["address"])


# The article with a captioned video


def test_an_article_plays_its_video_with_captions_and_shows_the_transcript(client):
    video = _document("Mediator video", "mediator.webm", b"\x1aE\xdf\xa3 not a real video")
    captions = _document("Mediator captions", "mediator.vtt", CAPTIONS)
    article = ArticlePage(
        title="Watch a mediator",
        slug="watch",
        video=video,
        captions=captions,
        transcript="<p>Hello, I am one of the mediators.</p>",
        body="[]",
    )
    _publish_child(article)
    html = client.get("/watch/").content.decode()
    assert re.search(r'<video class="app-video__player" controls preload="metadata">', html)
    assert f'<source src="{video.url}" type="video/webm">' in html
    assert f'<track kind="captions" srclang="en" label="English" src="{captions.url}" default>' in html
    assert '<h2 class="govuk-heading-m" id="transcript-heading">Transcript of the video</h2>' in html
    assert "Hello, I am one of the mediators." in html
    assert "youtube" not in html.lower() and "<iframe" not in html
    response = client.get(captions.url)
    assert response.status_code == 200, "the captions are public"
    assert response["Content-Type"].startswith("text/vtt")
    assert b"".join(response.streaming_content) == CAPTIONS


def test_the_installed_article_shows_its_transcript_without_a_video(client):
    html = client.get("/a-mediators-view/").content.decode()
    assert "<video" not in html
    assert '<h2 class="govuk-heading-m" id="transcript-heading">Transcript</h2>' in html
    assert "What does a good agreement look like?" in html


def test_a_video_needs_captions_and_a_transcript():
    video = _document("Video", "clip.mp4", b"not really")
    with pytest.raises(ValidationError) as error:
        _home().add_child(instance=ArticlePage(title="Clip", slug="clip", video=video, body="[]"))
    assert error.value.message_dict["captions"] == ["Add a captions file (WebVTT) for the video"]
    assert error.value.message_dict["transcript"] == ["Add a transcript of the video"]
    article = ArticlePage(
        title="Clip",
        slug="clip",
        video=video,
        captions=_document("Not captions", "notes.txt", b"hello"),
        transcript="<p>Words</p>",
        body="[]",
    )
    with pytest.raises(ValidationError) as error:
        _home().add_child(instance=article)
    assert error.value.message_dict == {"captions": ["The captions must be a WebVTT file, ending .vtt"]}
    assert not ArticlePage.objects.filter(slug="clip").exists()


# Useful documents


def test_useful_documents_show_their_kind_and_size_and_download_without_signing_in(client):
    document = _document("Preparing for mediation", "preparing.pdf", b"%PDF-1.4 " + b"x" * 2048)
    body = [
        {"type": "document", "value": {"document": document.pk, "title": "", "description": "A checklist"}},
        {
            "type": "link",
            "value": {
                "text": "IPSEA",
                "page": None,
                "address": "https://www.ipsea.org.uk/",
                "description": "Free legal advice",
            },
        },
    ]
    _publish_child(UsefulLinksPage(title="More documents", slug="more-documents", body=json.dumps(body)))
    html = client.get("/more-documents/").content.decode()
    assert f'<a class="govuk-link" href="{document.url}">Preparing for mediation</a>' in html
    assert "(PDF, 2.0\xa0KB)" in html
    assert '<a class="govuk-link" href="https://www.ipsea.org.uk/">IPSEA</a>' in html
    download = client.get(document.url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_the_installed_useful_links_page_links_to_the_leaflet(client):
    html = client.get("/useful-documents-and-links/").content.decode()
    assert (
        '<a class="govuk-link govuk-!-font-weight-bold app-document-list__title" href="/leaflet.pdf">'
        "Our leaflet (PDF, 2 pages)</a>"
    ) in html


def test_the_home_page_survives_a_page_it_links_to_being_deleted(client):
    Page.objects.get(slug="disagreement-resolution").delete()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h3 class="govuk-heading-s">Disagreement resolution</h3>' in html
    assert '<a class="govuk-link" href="/disagreement-resolution/">' not in html


def test_the_installed_article_promises_no_video_it_does_not_have(client):
    html = client.get("/a-mediators-view/").content.decode()
    main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    assert "video" not in main.lower()
    assert "This is what they told us." in main


def test_no_page_promises_videos_we_do_not_have(client):
    from sendmediation.website.models import ArticlePage

    assert not ArticlePage.objects.exclude(video=None).exists()
    for path in ("/accessibility/", "/a-mediators-view/"):
        html = client.get(path).content.decode()
        assert "watch our videos" not in html and "When we publish the video" not in html
