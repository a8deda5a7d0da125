"""The leaflet as a tagged, two-sided A4 PDF, drawn by WeasyPrint from the leaflet page's content.

A PDF is kept on disk under ``VAR_DIR/leaflets/``, named after the page, its live revision and a
fingerprint of the design (template, print CSS, brand), so the first request after a publish draws
the new one and every later request reads the file. Nothing on the page can make WeasyPrint fetch a
URL: the CSS is passed in and every other fetch is refused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import get_template, render_to_string

from config.brand import BRAND_FILE, brand

if TYPE_CHECKING:
    from sendmediation.website.models import LeafletPage

TEMPLATE = "website/leaflet_pdf.html"
STYLESHEET = "website/css/leaflet-pdf.css"
SIDES = 2
# The text is drawn at least this size, and grown (up to the largest) until the fuller side is nearly
# full, so that a printed side is not a third blank. Each side is then filled to at least FILLED.
SMALLEST_FONT_PT = 12.0
LARGEST_FONT_PT = 16.0
FILLED = 0.9
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class LeafletTooLongError(Exception):
    def __init__(self, side: int, pages: int) -> None:
        super().__init__(f"side {side} needs {pages} pages")
        self.side = side
        self.pages = pages


def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    return Path(str(found))


def leaflet_html(
    page: LeafletPage, *, sides: tuple[int, ...] = (1, 2), font_size: float = SMALLEST_FONT_PT
) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "page": page,
            "brand": brand(),
            "site_url": settings.SITE_URL,
            "sides": sides,
            "font_size": font_size,
        },
    )


def _document(
    page: LeafletPage, *, sides: tuple[int, ...] = (1, 2), font_size: float = SMALLEST_FONT_PT
) -> Any:
    # Imported here so that the rest of the site runs on a machine without Pango.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    class RefuseEveryFetch(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("The leaflet loads nothing from outside its own HTML and CSS")

    fetcher = RefuseEveryFetch()
    stylesheet = CSS(filename=str(_stylesheet_path()), url_fetcher=fetcher)
    html = HTML(
        string=leaflet_html(page, sides=sides, font_size=font_size),
        base_url=settings.SITE_URL,
        url_fetcher=fetcher,
    )
    return html.render(stylesheets=[stylesheet], **PDF_OPTIONS)


def filled(document: Any) -> float:
    """How much of the first page's height the content uses: 0.75 leaves a quarter blank."""
    page_box = document.pages[0]._page_box
    root = next(box for box in page_box.children if getattr(box, "element_tag", "") == "html")

    def bottoms(box: Any) -> Any:
        for child in getattr(box, "children", None) or []:
            if hasattr(child, "margin_height"):
                yield child.position_y + child.margin_height()
            yield from bottoms(child)

    return float((max(bottoms(root), default=0) - page_box.content_box_y()) / page_box.height)


def side_fill(page: LeafletPage, *, font_size: float) -> list[tuple[int, float]]:
    """For each side at this text size: how many pages it needs and how full its first page is."""
    measured = []
    for side in range(1, SIDES + 1):
        document = _document(page, sides=(side,), font_size=font_size)
        measured.append((len(document.pages), filled(document)))
    return measured


def fitted_font_size(page: LeafletPage) -> float:
    """The text size that fills the sides best while each still prints on one side of A4.

    Text grows about in proportion to its size, so one measure gives a good guess; the guess is
    then checked, and made a little smaller until both sides fit. Never below SMALLEST_FONT_PT.
    """
    size = SMALLEST_FONT_PT
    measured = side_fill(page, font_size=size)
    if any(pages > 1 for pages, _ in measured):
        return size  # too long even at the smallest size: the editor's check refuses it
    fullest = max(fill for _, fill in measured)
    guess = min(LARGEST_FONT_PT, size * 0.98 / max(fullest, 0.01))
    while guess > size:
        measured = side_fill(page, font_size=guess)
        if all(pages == 1 and fill <= 0.995 for pages, fill in measured):
            return round(guess, 2)
        guess = max(size, guess * 0.97)
    return size


def measure(page: LeafletPage) -> None:
    """Raise LeafletTooLongError when the leaflet would not print on exactly two sides."""
    pages = len(_document(page).pages)
    if pages == SIDES:
        return
    for side in (1, 2):
        side_pages = len(_document(page, sides=(side,)).pages)
        if side_pages > 1:
            raise LeafletTooLongError(side, side_pages)
    raise LeafletTooLongError(2, pages - 1)


def check_leaflet_fits(page: LeafletPage) -> None:
    """The editor's check: a ValidationError on the side that runs over."""
    try:
        measure(page)
    except LeafletTooLongError as error:
        field = "front" if error.side == 1 else "back"
        raise ValidationError(
            {field: f"Side {error.side} is too long to fit on one side of A4. Shorten it and try again."}
        ) from None


def render_leaflet_pdf(page: LeafletPage) -> bytes:
    pdf: bytes = _document(page, font_size=fitted_font_size(page)).write_pdf(**PDF_OPTIONS)
    return pdf


@cache
def design_fingerprint() -> str:
    """Changes when the template, the print CSS, the brand or WeasyPrint does."""
    from weasyprint import __version__

    template = get_template(TEMPLATE).template.source  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    for part in (
        template.encode(),
        _stylesheet_path().read_bytes(),
        BRAND_FILE.read_bytes(),
        __version__.encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:12]


def cache_directory() -> Path:
    return Path(settings.VAR_DIR) / "leaflets"


def cached_pdf_path(page: LeafletPage) -> Path:
    revision = page.live_revision_id or 0
    return cache_directory() / f"leaflet-{page.pk}-r{revision}-{design_fingerprint()}.pdf"


def leaflet_pdf(page: LeafletPage) -> Path:
    """The PDF of the page as published: drawn on first request after a publish, then read from disk."""
    path = cached_pdf_path(page)
    if path.exists():
        return path
    data = render_leaflet_pdf(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Two workers may draw the same leaflet at once: each writes a file of its own, then renames it.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".leaflet-", suffix=".tmp")
    with os.fdopen(handle, "wb") as output:
        output.write(data)
    os.replace(temporary, path)
    for old in path.parent.glob(f"leaflet-{page.pk}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
