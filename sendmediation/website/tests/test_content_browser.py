"""The pages this content changes, in a real Chromium: GOV.UK document list, local help, testimonials."""

import datetime

import pytest

from sendmediation.localities.management.commands.load_demo_coverage import demo_local_support
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.services import sync_authorities
from sendmediation.website import models as website_models
from sendmediation.website.content.testimonials import TESTIMONIALS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_content"),
]

PAGE = "/useful-documents-and-links/"


@pytest.fixture
def authorities() -> None:
    """A flushed database has no authorities: load them, with Westminster's demo local help."""
    sync_authorities()
    LocalAuthority.objects.filter(code="E09000033").update(**demo_local_support("E09000033", 33))


@pytest.mark.usefixtures("authorities")
@pytest.mark.parametrize("javascript", [True, False], ids=["JavaScript on", "JavaScript off"])
def test_a_family_finds_their_local_offer_and_sendiass_from_a_postcode(
    live_server, page, page_without_js, assert_accessible, javascript
):
    tab = page if javascript else page_without_js
    label = "JavaScript on" if javascript else "JavaScript off"
    tab.goto(live_server.url + PAGE)
    assert tab.get_by_role("heading", level=1).inner_text() == "Useful documents and links"
    code = tab.get_by_role("link", name="SEND code of practice: 0 to 25 years")
    assert (
        code.get_attribute("href")
        == "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"
    )
    assert_accessible(tab, label=f"useful documents, {label}")

    tab.get_by_label("Postcode").fill("not a postcode")
    tab.get_by_role("button", name="Find local help").click()
    assert tab.title().startswith("Error: ")
    assert tab.locator(".govuk-error-summary").get_by_role("link").inner_text() == (
        "Enter a full UK postcode, like SW1A 1AA"
    )
    assert_accessible(tab, label=f"useful documents with an error, {label}")

    tab.get_by_label("Postcode").fill("SW1A 1AA")
    tab.get_by_role("button", name="Find local help").click()
    offer = tab.get_by_role("link", name="Westminster local offer")
    assert offer.is_visible()
    assert offer.get_attribute("href") == "https://local-offer.westminster.example"
    assert tab.get_by_role("link", name="Westminster SENDIASS").is_visible()
    assert not tab.title().startswith("Error: ")
    assert_accessible(tab, label=f"useful documents with local help, {label}")

    # Every step was a redirect to a GET: Back walks the history without asking to send a form again.
    tab.go_back()
    assert tab.get_by_role("heading", level=1).inner_text() == "Useful documents and links"
    tab.go_back()
    assert tab.get_by_role("heading", level=1).inner_text() == "Useful documents and links"


@pytest.mark.usefixtures("authorities")
def test_the_page_reads_at_320_pixels_with_local_help(live_server, phone_page, assert_accessible):
    phone_page.goto(live_server.url + PAGE)
    phone_page.get_by_label("Postcode").fill("SW1A 1AA")
    phone_page.get_by_role("button", name="Find local help").click()
    assert phone_page.get_by_role("link", name="Westminster local offer").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.get_by_text("Find them for a different postcode").click()
    assert phone_page.get_by_label("Postcode").is_visible()
    assert_accessible(phone_page, label="useful documents at 320 px, other postcode open")


@pytest.mark.usefixtures("authorities")
def test_the_home_page_shows_testimonials_only_from_covered_areas(live_server, page, assert_accessible):
    covered = [t for t in TESTIMONIALS if t.consented][:2]
    for testimonial in TESTIMONIALS:  # installed before the authorities were loaded, in this test
        area = LocalAuthority.objects.get(code=testimonial.area_code)
        website_models.Testimonial.objects.filter(quote=testimonial.quote).update(area=area)
    LocalAuthority.objects.filter(code__in=[t.area_code for t in covered]).update(
        covered_from=datetime.date(2024, 4, 1)
    )
    page.goto(live_server.url + "/")
    quotes = page.locator(".app-testimonial__quote").all_inner_texts()
    assert sorted(quote.strip("“”\n ") for quote in quotes) == sorted(t.quote for t in covered)
    assert_accessible(page, label="home page with testimonials")


def test_the_mediators_view_promises_no_video(live_server, page, assert_accessible):
    page.goto(live_server.url + "/a-mediators-view/")
    assert "video" not in page.locator("main").inner_text().lower()
    assert page.get_by_role("heading", name="Transcript").is_visible()
    assert_accessible(page, label="a mediator's view")
