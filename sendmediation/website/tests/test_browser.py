import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Page

from sendmediation.testing.personas import PASSWORD
from sendmediation.website.models import ArticlePage
from sendmediation.website.tests.test_pages import CONTENT_PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_content"),
]

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
    page.wait_for_url(live_server.url + reverse("cases:my_work"))
    assert page.get_by_role("heading", name="My work").is_visible()
    assert_accessible(page, label="staff home")


def test_nothing_scrolls_sideways_on_a_small_phone(live_server, phone_page):
    for name in ("website:home", "accounts:sign_in"):
        phone_page.goto(live_server.url + reverse(name))
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


# Content pages


def test_every_content_page_has_no_axe_violations(live_server, page, assert_accessible):
    for path, title in CONTENT_PAGES.items():
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert_accessible(page, label=f"{path}, JavaScript on")


def test_content_pages_work_and_pass_axe_without_javascript(live_server, page_without_js, assert_accessible):
    for path in ("/", "/mediation/", "/young-people/", "/leaflet/"):
        page_without_js.goto(live_server.url + path)
        assert page_without_js.get_by_role("link", name="Disagreement resolution").first.is_visible(), path
        assert_accessible(page_without_js, label=f"{path}, JavaScript off")
    page_without_js.goto(live_server.url + "/young-people/")
    page_without_js.get_by_text(
        "What is the difference between mediation and disagreement resolution?"
    ).click()
    assert page_without_js.get_by_text("If you choose it, the local authority has to come.").is_visible()


def test_no_content_page_scrolls_sideways_on_a_small_phone(live_server, phone_page):
    for path in CONTENT_PAGES:
        phone_page.goto(live_server.url + path)
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_the_footer_and_the_advice_page_lead_to_checking_a_certificate(
    live_server, page_without_js, assert_accessible
):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.locator(".govuk-footer").get_by_role("link", name="Check a mediation certificate").click()
    page.wait_for_url(live_server.url + "/verify/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check a mediation certificate"
    assert_accessible(page, label="/verify/, reached from the footer")
    page.goto(live_server.url + "/mediation-advice/")
    page.locator("main").get_by_role("link", name="Check a mediation certificate").click()
    page.wait_for_url(live_server.url + "/verify/")


def test_the_menu_opens_on_a_small_phone_and_marks_the_current_page(
    live_server, phone_page, assert_accessible
):
    phone_page.goto(live_server.url + "/disagreement-resolution/")
    menu = phone_page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    menu.click()
    current = phone_page.locator(".govuk-service-navigation__link[aria-current]")
    assert current.count() == 1 and current.inner_text() == "Disagreement resolution"
    assert current.get_attribute("aria-current") == "page"
    assert_accessible(phone_page, label="menu open at 320 px")


def test_content_pages_print_without_navigation_or_footer(live_server, page):
    page.emulate_media(media="print")
    for path in CONTENT_PAGES:
        page.goto(live_server.url + path)
        assert page.locator("h1").is_visible(), path
        assert page.locator("main").is_visible(), path
        for hidden in (
            ".govuk-service-navigation__wrapper",
            ".govuk-footer",
            ".govuk-breadcrumbs",
            ".govuk-button",
        ):
            shown = [element.is_visible() for element in page.locator(hidden).all()]
            assert not any(shown), f"{hidden} prints on {path}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(live_server.url + "/young-people/")
    assert page.get_by_text("If you choose it, the local authority has to come.").is_visible(), (
        "closed details print open"
    )


def test_the_home_page_postcode_check_reaches_the_coverage_checker(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_label("Postcode").fill("")
    page.get_by_role("button", name="Check your area").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("website:coverage")
    assert page.title().startswith("Error: "), "the coverage checker asks for the postcode"


def test_a_captioned_video_loads_its_captions(live_server, page, assert_accessible):
    captions = Document(title="Captions")
    captions.file.save(
        "captions.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello there\n"), save=False
    )
    captions.save()
    video = Document(title="Video")
    video.file.save("video.webm", ContentFile(b"\x1aE\xdf\xa3 a stand-in for a recording"), save=False)
    video.save()
    article = ArticlePage(
        title="Watch a mediation",
        slug="watch",
        video=video,
        captions=captions,
        transcript="<p>Hello there</p>",
        body="[]",
    )
    Page.objects.get(depth=2).add_child(instance=article)
    article.save_revision().publish()
    page.goto(live_server.url + "/watch/")
    # Polled from here: a predicate polled inside the page would be evaluated as a string, which the
    # strict policy of a kept (cached) page rightly refuses.
    for _ in range(100):
        if page.evaluate("document.querySelector('track').readyState") == 2:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('track').readyState") == 2
    assert page.evaluate("document.querySelector('video').textTracks[0].cues[0].text") == "Hello there"
    assert page.evaluate("document.querySelector('video').textTracks[0].kind") == "captions"
    assert_accessible(page, label="article with a video")


# The CMS


def test_the_cms_works_under_its_content_security_policy(live_server, page, personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/cms/")
    page.get_by_label("Username").fill("max")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/cms/")
    home = Page.objects.get(depth=2)
    page.goto(live_server.url + f"/cms/pages/{home.pk}/")
    assert page.get_by_role("link", name="Mediation", exact=True).first.is_visible()
    for page_id in (
        home.pk,
        Page.objects.get(slug="a-mediators-view").pk,
        Page.objects.get(slug="leaflet").pk,
    ):
        page.goto(live_server.url + f"/cms/pages/{page_id}/edit/")
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("button", name="Save draft").is_visible()
    page.get_by_role("button", name="Toggle preview").first.click()
    preview = page.frame_locator("#w-preview-iframe")
    assert (
        preview.get_by_role("heading", level=1).inner_text()
        == "Settling disagreements about special educational needs"
    )
    page.goto(live_server.url + "/cms/snippets/website/testimonial/")
    assert page.get_by_text("Parent, Hampshire").first.is_visible()
    assert problems == []


# How many lines a cell's words take: one rectangle per line box of its text.
LINES = """cell => { const range = document.createRange(); range.selectNodeContents(cell);
  const tops = Array.from(range.getClientRects()).map(r => Math.round(r.top));
  return new Set(tops).size; }"""


@pytest.mark.parametrize("width", [320, 1024])
def test_the_cookie_table_breaks_no_word(live_server, chromium, assert_accessible, width):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/cookies/")
        table = tab.get_by_role("table", name="Essential cookies")
        for name in ("Name", "Expires"):
            assert table.get_by_role("columnheader", name=name).evaluate(LINES) == 1, (width, name)
        for cookie in ("sessionid", "csrftoken"):
            assert table.locator("code", has_text=cookie).evaluate(LINES) == 1, (width, cookie)
        assert "7 days after you start a request for help" in table.inner_text()
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(tab, label=f"cookies at {width} px")
    finally:
        context.close()
