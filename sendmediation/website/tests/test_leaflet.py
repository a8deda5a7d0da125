import http.server
import io
import json
import re
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from config.brand import brand
from sendmediation.website import leaflet
from sendmediation.website.models import LeafletPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content", "leaflet_cache")]

A4_POINTS = (595.28, 841.89)


def _pdf(client) -> PdfReader:
    response = client.get("/leaflet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="kestrel-leaflet.pdf"'
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def _text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _paragraphs(count: int) -> str:
    sentence = "Every family deserves a clear answer about the help their child will get at school. "
    return json.dumps([{"type": "text", "value": "<p>" + sentence * 12 + "</p>"}] * count)


def test_the_leaflet_is_two_sides_of_a4_tagged_with_title_and_language(client):
    reader = _pdf(client)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert tuple(round(float(side), 2) for side in page.mediabox[2:]) == A4_POINTS
    catalogue: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue, "the PDF is tagged"
    assert catalogue["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert catalogue["/Lang"] == "en-GB"
    assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    page = LeafletPage.objects.live().get()
    assert reader.metadata is not None
    assert reader.metadata.title == f"{page.title} \N{EN DASH} {brand()['service_name']}"
    assert reader.metadata.author == brand()["organisation_name"]


def test_the_leaflet_says_what_the_web_page_says(client):
    text = _text(_pdf(client))
    html = client.get("/leaflet/").content.decode()
    page_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")
    for words in [
        "Mediation information and advice",
        "Contact us within 2 months of the date on the local authority",
        "Everyone has to agree to take part",
        "A mediation certificate is a document, not a meeting",
    ]:
        assert words in text, words
        assert words in page_text, words
    assert brand()["phone"] in text and brand()["email"] in text
    assert (
        '<a class="govuk-link" href="/leaflet.pdf">Download the leaflet to print (PDF, 2 pages of A4)</a>'
        in html
    )


def test_the_leaflet_is_drawn_once_per_published_revision(client, leaflet_cache):
    _pdf(client)
    first = sorted(leaflet_cache.glob("*.pdf"))
    assert len(first) == 1
    stamp = first[0].stat().st_mtime_ns
    _pdf(client)
    assert sorted(leaflet_cache.glob("*.pdf")) == first
    assert first[0].stat().st_mtime_ns == stamp, "the second request reads the file"

    page = LeafletPage.objects.live().get()
    page.title = "Sorting out disagreements about special educational needs"
    revision = page.save_revision()
    assert "Sorting out" not in _text(_pdf(client)), "a draft does not change the leaflet"
    revision.publish()
    reader = _pdf(client)
    assert reader.metadata is not None
    assert str(reader.metadata.title).startswith("Sorting out disagreements")
    assert "Sorting out disagreements" in _text(reader)
    files = sorted(leaflet_cache.glob("*.pdf"))
    assert len(files) == 1 and files != first, "the old revision's file is gone"
    assert f"-r{revision.pk}-" in files[0].name


@pytest.mark.parametrize(("side", "field"), [("front", "front"), ("back", "back")])
def test_a_side_too_long_for_a4_is_refused_with_a_message(side, field):
    page = LeafletPage.objects.live().get()
    setattr(page, side, _paragraphs(8))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    number = 1 if side == "front" else 2
    assert error.value.message_dict[field] == [
        f"Side {number} is too long to fit on one side of A4. Shorten it and try again."
    ]


def test_the_installed_leaflet_fits():
    leaflet.check_leaflet_fits(LeafletPage.objects.live().get())


def test_the_leaflet_fetches_nothing_from_outside():
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        page = LeafletPage.objects.live().get()
        page.front = json.dumps(
            [
                {"type": "text", "value": f'<p><img src="{address}/pixel.png" alt="">Text</p>'},
                {"type": "inset_text", "value": f'<p><a href="{address}/page">A link is not fetched</a></p>'},
            ]
        )
        assert len(leaflet.render_leaflet_pdf(page)) > 1000
        urllib.request.urlopen(f"{address}/check").close()  # noqa: S310 - our own loopback server
    except urllib.error.HTTPError:
        pass
    finally:
        server.shutdown()
        thread.join()
    assert requests == ["/check"], "only the test's own request reached the server"


def test_no_published_leaflet_means_no_pdf(client):
    LeafletPage.objects.live().get().unpublish()
    assert client.get("/leaflet.pdf").status_code == 404


def test_a_private_leaflet_is_not_served_as_a_pdf(client):
    page = LeafletPage.objects.live().get()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/leaflet.pdf").status_code == 404


def test_each_printed_side_is_filled_not_a_third_blank():
    page = LeafletPage.objects.live().get()
    at_smallest = leaflet.side_fill(page, font_size=leaflet.SMALLEST_FONT_PT)
    size = leaflet.fitted_font_size(page)
    fitted = leaflet.side_fill(page, font_size=size)
    assert size >= leaflet.SMALLEST_FONT_PT
    assert all(pages == 1 for pages, _ in fitted), fitted
    # The fuller side is nearly full, and neither side is left a quarter blank.
    assert max(fill for _, fill in fitted) >= 0.93, (size, at_smallest, fitted)
    assert min(fill for _, fill in fitted) >= leaflet.FILLED, (size, at_smallest, fitted)
