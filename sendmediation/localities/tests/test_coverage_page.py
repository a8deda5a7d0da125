"""The "Check if we cover your area" pages, through the test client (browser tests are separate)."""

import datetime
import logging

import pytest
from django.urls import reverse

from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.services import update_coverage

pytestmark = pytest.mark.django_db

QUESTION = "/check-your-area/"


def cover(code: str, **changes: object) -> None:
    update_coverage(
        authority=LocalAuthority.objects.get(code=code),
        actor=None,
        changes={"covered_from": datetime.date(2024, 4, 1), **changes},
        via="test",
    )


def test_the_url_names() -> None:
    assert reverse("website:coverage") == QUESTION
    assert reverse("website:coverage_result", args=["E09000033"]) == "/check-your-area/council/E09000033/"
    assert reverse("website:coverage_choose_council") == "/check-your-area/council/"
    assert reverse("website:coverage_not_found") == "/check-your-area/not-found/"
    assert (
        reverse("website:coverage_outside_england", args=["wales"])
        == "/check-your-area/outside-england/wales/"
    )


def test_the_question_page(client) -> None:
    response = client.get(QUESTION)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="postal-code"' in page
    assert "<title>Check if we cover your area" in page


def test_a_covered_postcode_names_the_authority_and_carries_the_postcode_on(client, caplog) -> None:
    cover("E09000033", contact_name="London team", contact_phone="0808 157 0210", notes="Only for staff")
    caplog.set_level(logging.DEBUG)

    response = client.post(QUESTION, {"postcode": " sw1a-1aa "})

    assert response.status_code == 303
    assert response["Location"] == "/check-your-area/council/E09000033/"
    page = client.get(response["Location"]).content.decode()
    assert "We offer mediation in Westminster" in page
    assert "SW1A 1AA is in Westminster" in page
    # The postcode goes on to the request in the session, never in an address.
    assert 'href="/request/"' in page and "postcode=" not in page
    assert client.session["checked_postcode"] == "SW1A 1AA"
    assert "Start your request" in page
    assert "London team" in page
    assert "0808 157 0210" in page
    assert "Only for staff" not in page
    assert "SW1A" not in caplog.text and "sw1a" not in caplog.text


def test_the_result_page_alone_names_the_authority_without_a_postcode(client) -> None:
    cover("E09000033")
    page = client.get("/check-your-area/council/E09000033/").content.decode()
    assert "We offer mediation in Westminster" in page
    assert 'href="/request/"' in page
    assert "postcode=" not in page


def test_the_postcode_is_not_shown_for_another_authority(client) -> None:
    cover("E09000033")
    cover("E10000016")
    client.post(QUESTION, {"postcode": "SW1A 1AA"})
    page = client.get("/check-your-area/council/E10000016/").content.decode()
    assert "SW1A 1AA" not in page
    assert 'href="/request/"' in page


def test_an_uncovered_postcode_says_where_to_go_and_that_they_can_call_us(client) -> None:
    response = client.post(QUESTION, {"postcode": "ME14 1XQ"})
    assert response["Location"] == "/check-your-area/council/E10000016/"
    page = client.get(response["Location"]).content.decode()
    assert "We do not offer mediation in Kent" in page
    assert "ME14 1XQ is in Kent" in page
    assert "Contact Kent's SEND team and ask who provides mediation" in page
    assert "0808 157 0192" in page  # the brand's phone
    # The page itself does not invite a request (the menu offers one on every page).
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "/request/" not in main


def test_an_uncovered_authority_with_a_known_provider(client) -> None:
    update_coverage(
        authority=LocalAuthority.objects.get(code="E10000016"),
        actor=None,
        changes={
            "other_provider_name": "Weald Family Mediation",
            "other_provider_website": "https://weald-mediation.example",
            "other_provider_phone": "01632 960411",
        },
        via="test",
    )
    page = client.get("/check-your-area/council/E10000016/").content.decode()
    assert "In Kent, mediation is provided by Weald Family Mediation." in page
    assert 'href="https://weald-mediation.example"' in page
    assert "01632 960411" in page
    assert "ask who provides mediation" not in page


def test_coverage_starting_later_says_when(client) -> None:
    cover("E09000033", covered_from=datetime.date(2099, 4, 1))
    page = client.get("/check-your-area/council/E09000033/").content.decode()
    assert "We do not offer mediation in Westminster" in page
    assert "We will offer mediation in Westminster from 1 April 2099." in page


def test_ended_coverage_is_not_covered(client) -> None:
    cover("E09000033", covered_to=datetime.date(2025, 3, 31))
    page = client.get("/check-your-area/council/E09000033/").content.decode()
    assert "We do not offer mediation in Westminster" in page


@pytest.mark.parametrize(
    ("postcode", "slug", "heading", "where"),
    [
        ("CF10 1AA", "wales", "We cannot help in Wales", "SNAP Cymru"),
        ("EH1 1AA", "scotland", "We cannot help in Scotland", "Enquire"),
        ("BT1 1AA", "northern-ireland", "We cannot help in Northern Ireland", "(DARS)"),
        ("GY1 1AA", "channel-islands", "We cannot help in the Channel Islands", "your island's government"),
        ("IM1 1AA", "isle-of-man", "We cannot help on the Isle of Man", "education department"),
    ],
)
def test_outside_england(client, postcode, slug, heading, where) -> None:
    response = client.post(QUESTION, {"postcode": postcode})
    assert response["Location"] == f"/check-your-area/outside-england/{slug}/"
    page = client.get(response["Location"]).content.decode()
    assert heading in page
    assert "The law on special educational needs is different" in page
    assert where in page
    assert f"{postcode} is " in page


def test_an_unknown_country_is_404(client) -> None:
    assert client.get("/check-your-area/outside-england/england/").status_code == 404
    assert client.get("/check-your-area/council/E10000006/").status_code == 404


def test_a_postcode_not_found_leads_to_choosing_the_council(client) -> None:
    cover("E09000033")
    response = client.post(QUESTION, {"postcode": "sw1a 9zz"})
    assert response["Location"] == "/check-your-area/not-found/"
    page = client.get(response["Location"]).content.decode()
    assert "We could not find that postcode" in page
    assert "We could not find SW1A 9ZZ" in page
    assert page.count("<option") == 154  # a blank choice and the 153 councils

    chosen = client.post(response["Location"], {"council": "E09000033"})
    assert chosen["Location"] == "/check-your-area/council/E09000033/"
    page = client.get(chosen["Location"]).content.decode()
    assert "We offer mediation in Westminster" in page
    assert 'href="/request/"' in page


def test_choosing_no_council_is_an_error(client) -> None:
    for choice in ("", "E10000006"):
        response = client.post("/check-your-area/council/", {"council": choice}, follow=True)
        page = response.content.decode()
        assert response.redirect_chain == [("/check-your-area/council/", 303)]
        assert response.status_code == 200
        assert "<title>Error: Choose your council" in page
        assert 'href="#id_council">Select your council</a>' in page


def test_council_names_are_the_ones_families_know(client) -> None:
    page = client.get("/check-your-area/council/").content.decode()
    assert '<option value="E06000023">Bristol</option>' in page
    assert '<option value="E06000010">Kingston upon Hull</option>' in page
    assert '<option value="E06000019">Herefordshire</option>' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode"),
        ("SW1A", "Enter a full UK postcode, like SW1A 1AA"),
        ("not a postcode", "Enter a full UK postcode, like SW1A 1AA"),
        ("x" * 200, "Enter a full UK postcode, like SW1A 1AA"),
    ],
)
def test_an_invalid_postcode_is_shown_with_the_error_summary(client, typed, message) -> None:
    response = client.post(QUESTION, {"postcode": typed}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(QUESTION, 303)]
    assert response.status_code == 200
    assert "<title>Error: Check if we cover your area" in page
    assert "There is a problem" in page
    assert f'<a href="#id_postcode">{message}</a>' in page
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in page


def test_results_are_not_cached_by_the_browser_or_proxies(client) -> None:
    response = client.get("/check-your-area/council/E09000033/")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# Who we cover, shown: the list, the count on the home page, the marks in the council list.


def test_the_areas_we_cover_come_from_the_coverage_records(client) -> None:
    cover("E09000033")
    cover("E10000016")
    cover("E06000023", covered_to=datetime.date(2025, 3, 31))  # ended: not listed
    cover("E09000007", covered_from=datetime.date(2099, 4, 1))  # starts later: listed apart
    page = client.get("/check-your-area/areas-we-cover/").content.decode()
    listed = page.split('aria-label="Local authorities we cover"', 1)[1].split("</ul>", 1)[0]
    assert "Kent" in listed and "Westminster" in listed
    assert "Bristol" not in listed and "Camden" not in listed
    assert "in the areas of 2 local authorities in England" in page
    assert "Camden, from 1 April 2099" in page
    assert 'href="/check-your-area/council/E10000016/"' in listed


def test_the_areas_we_cover_can_be_searched_without_javascript(client) -> None:
    cover("E09000033")
    cover("E10000016")
    page = client.get("/check-your-area/areas-we-cover/", {"search": "  KENT "}).content.decode()
    listed = page.split('aria-label="Local authorities we cover"', 1)[1].split("</ul>", 1)[0]
    assert "Kent" in listed and "Westminster" not in listed
    assert "1 local authority matches \u2018KENT\u2019." in page
    assert "<title>Areas we cover matching \u2018KENT\u2019" in page
    nothing = client.get("/check-your-area/areas-we-cover/", {"search": "Narnia"}).content.decode()
    assert "We do not cover a local authority called \u2018Narnia\u2019" in nothing
    assert 'aria-label="Local authorities we cover"' not in nothing


def test_the_home_page_states_the_real_number_we_cover(client) -> None:
    for code in ("E09000033", "E10000016", "E06000023"):
        cover(code)
    page = client.get("/").content.decode()
    assert "We work with 3 local authorities in England" in page
    assert "many local authorities" not in page
    assert 'href="/check-your-area/areas-we-cover/"' in page
    cover("E06000023", covered_to=datetime.date(2025, 3, 31))
    assert "We work with 2 local authorities in England" in client.get("/").content.decode()


def test_the_council_list_marks_the_ones_we_cover(client) -> None:
    cover("E09000033")
    page = client.get("/check-your-area/council/").content.decode()
    assert '<option value="E09000033">Westminster (we cover this area)</option>' in page
    assert '<option value="E10000016">Kent</option>' in page
