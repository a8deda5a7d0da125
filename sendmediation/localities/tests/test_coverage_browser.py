"""Check if we cover your area, in a real browser: every outcome, with and without JavaScript, at 320 px."""

import datetime

import pytest

from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.services import sync_authorities, update_coverage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def westminster_covered() -> None:
    sync_authorities()
    update_coverage(
        authority=LocalAuthority.objects.get(code="E09000033"),
        actor=None,
        changes={
            "covered_from": datetime.date(2024, 4, 1),
            "contact_name": "London team",
            "contact_phone": "0808 157 0210",
        },
        via="test",
    )


def check_postcode(page, live_server, postcode: str) -> None:
    page.goto(live_server.url + "/check-your-area/")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript on", "javascript off"])
def test_a_covered_postcode(
    live_server, page, page_without_js, assert_accessible, westminster_covered, javascript
) -> None:
    tab = page if javascript else page_without_js
    tab.goto(live_server.url + "/check-your-area/")
    assert tab.get_by_role("heading", level=1).inner_text() == "Check if we cover your area"
    assert tab.get_by_label("Postcode").get_attribute("autocomplete") == "postal-code"
    assert_accessible(tab, label="question")

    check_postcode(tab, live_server, " sw1a-1aa ")

    assert tab.url == live_server.url + "/check-your-area/council/E09000033/"
    assert tab.get_by_role("heading", level=1).inner_text() == "We offer mediation in Westminster"
    assert tab.get_by_text("SW1A 1AA is in Westminster").is_visible()
    start = tab.get_by_role("button", name="Start your request")
    # The postcode goes on in the session, never in an address.
    assert start.get_attribute("href") == "/request/"
    assert tab.get_by_text("0808 157 0210").is_visible()
    assert_accessible(tab, label=f"covered, JavaScript {'on' if javascript else 'off'}")


def test_a_postcode_we_do_not_cover(live_server, page, assert_accessible) -> None:
    sync_authorities()
    check_postcode(page, live_server, "ME14 1XQ")
    assert page.get_by_role("heading", level=1).inner_text() == "We do not offer mediation in Kent"
    assert page.get_by_text("Contact Kent's SEND team and ask who provides mediation").is_visible()
    assert page.locator("main").get_by_text("Phone 0808 157 0192").is_visible()
    assert page.get_by_role("button", name="Start your request").count() == 0
    assert_accessible(page, label="not covered")


@pytest.mark.parametrize(
    ("postcode", "heading", "where"),
    [
        ("CF10 1AA", "We cannot help in Wales", "SNAP Cymru"),
        ("EH1 1AA", "We cannot help in Scotland", "Enquire"),
        ("BT1 1AA", "We cannot help in Northern Ireland", "Education Authority's website"),
        ("GY1 1AA", "We cannot help in the Channel Islands", None),
        ("IM1 1AA", "We cannot help on the Isle of Man", None),
    ],
)
def test_outside_england(live_server, page, assert_accessible, postcode, heading, where) -> None:
    check_postcode(page, live_server, postcode)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_text("The law on special educational needs is different").is_visible()
    if where:
        assert page.get_by_role("link", name=where).is_visible()
    assert_accessible(page, label=heading)


def test_a_postcode_not_found_leads_to_choosing_the_council(
    live_server, page_without_js, assert_accessible, westminster_covered
) -> None:
    page = page_without_js
    check_postcode(page, live_server, "QQ1 1AA")
    assert page.url == live_server.url + "/check-your-area/not-found/"
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find that postcode"
    assert page.get_by_text("We could not find QQ1 1AA").is_visible()
    assert page.locator("#id_council option").count() == 154
    assert_accessible(page, label="not found")

    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("link", name="Select your council").is_visible()
    assert_accessible(page, label="no council chosen")

    page.get_by_label("Choose your council").select_option(label="Westminster (we cover this area)")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "We offer mediation in Westminster"
    assert page.get_by_role("button", name="Start your request").get_attribute("href") == "/request/"


def test_an_invalid_postcode(live_server, page, assert_accessible) -> None:
    check_postcode(page, live_server, "SW1A")
    assert page.title().startswith("Error: Check if we cover your area")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter a full UK postcode, like SW1A 1AA").is_visible()
    assert page.locator("#id_postcode-error").inner_text().endswith("Enter a full UK postcode, like SW1A 1AA")
    assert page.get_by_label("Postcode").input_value() == "SW1A"
    assert_accessible(page, label="invalid postcode")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"


def test_nothing_scrolls_sideways_on_a_small_phone(live_server, phone_page, westminster_covered) -> None:
    for postcode in ("SW1A 1AA", "ME14 1XQ", "CF10 1AA", "QQ1 1AA", "SW1A"):
        check_postcode(phone_page, live_server, postcode)
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), postcode
    phone_page.goto(live_server.url + "/check-your-area/council/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_choosing_the_council_without_a_postcode(live_server, page, assert_accessible) -> None:
    sync_authorities()
    page.goto(live_server.url + "/check-your-area/")
    page.get_by_role("link", name="Choose your council from a list instead").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your council"
    assert_accessible(page, label="choose your council")
    page.get_by_label("Choose your council").select_option(label="Kent")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "We do not offer mediation in Kent"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript on", "javascript off"])
def test_the_areas_we_cover_are_listed_and_searched(
    live_server, page, page_without_js, phone_page, assert_accessible, westminster_covered, javascript
) -> None:
    update_coverage(
        authority=LocalAuthority.objects.get(code="E10000016"),
        actor=None,
        changes={"covered_from": datetime.date(2024, 4, 1)},
        via="test",
    )
    tab = page if javascript else page_without_js
    tab.goto(live_server.url + "/check-your-area/")
    tab.get_by_role("link", name="see all the areas we cover").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Areas we cover"
    listed = tab.get_by_role("list", name="Local authorities we cover")
    assert listed.get_by_role("listitem").all_inner_texts() == ["Kent", "Westminster"]
    assert_accessible(tab, label=f"areas we cover, JavaScript {'on' if javascript else 'off'}")

    tab.get_by_label("Search for a local authority").fill("kent")
    tab.get_by_role("button", name="Search").click()
    tab.wait_for_load_state()
    assert listed.get_by_role("listitem").all_inner_texts() == ["Kent"]
    assert tab.get_by_role("status").inner_text().startswith("1 local authority matches")
    assert_accessible(tab, label="areas we cover, searched")
    listed.get_by_role("link", name="Kent").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "We offer mediation in Kent"

    # The council list marks the covered ones, so the answer is visible before choosing.
    tab.goto(live_server.url + "/check-your-area/council/")
    options = tab.get_by_label("Choose your council").locator("option").all_inner_texts()
    assert "Westminster (we cover this area)" in options and "Camden" in options

    phone_page.goto(live_server.url + "/check-your-area/areas-we-cover/?search=west")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
