import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [("home", "website:home"), ("sign in", "accounts:sign_in")]


@pytest.mark.parametrize(("label", "name"), PAGES)
def test_pages_have_no_axe_violations_with_javascript(live_server, page, assert_accessible, label, name):
    page.goto(live_server.url + reverse(name))
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert_accessible(page, label=f"{label}, JavaScript on")


@pytest.mark.parametrize(("label", "name"), PAGES)
def test_pages_have_no_axe_violations_without_javascript(
    live_server, page_without_js, assert_accessible, label, name
):
    page_without_js.goto(live_server.url + reverse(name))
    assert page_without_js.evaluate("document.body.classList.contains('govuk-frontend-supported')") is False
    assert_accessible(page_without_js, label=f"{label}, JavaScript off")


def test_a_member_of_staff_signs_in_with_the_keyboard(live_server, page, personas, assert_accessible):
    page.goto(live_server.url + reverse("accounts:sign_in"))
    page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error: ")
    page.get_by_role("link", name="Enter your username").click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert_accessible(page, label="sign in with errors")
    page.keyboard.type("cora")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery-staple")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("accounts:staff_home"))
    assert page.get_by_role("heading", name="My work").is_visible()
    assert_accessible(page, label="staff home")


def test_nothing_scrolls_sideways_on_a_small_phone(live_server, phone_page):
    for name in ("website:home", "accounts:sign_in"):
        phone_page.goto(live_server.url + reverse(name))
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
