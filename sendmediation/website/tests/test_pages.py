import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from config.brand import brand
from sendmediation.website.models import HomePage, StandardPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

# Every content page a fresh install has, by address.
CONTENT_PAGES = {
    "/": "Help to settle a disagreement about special educational needs",
    "/mediation/": "Mediation",
    "/disagreement-resolution/": "Disagreement resolution",
    "/mediation-advice/": "Mediation information and advice",
    "/a-mediators-view/": "Mediation from a mediator's view",
    "/useful-documents-and-links/": "Useful documents and links",
    "/young-people/": "For young people",
    "/professionals/": "For professionals",
    "/leaflet/": "Settling disagreements about special educational needs",
    "/contact/": "Contact us",
    "/accessibility/": "Accessibility statement",
    "/privacy/": "Privacy notice",
    "/cookies/": "Cookies",
}


def _text(html: str) -> str:
    """What a reader sees: tags dropped, entities for apostrophes undone, spaces squeezed."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize(("path", "title"), CONTENT_PAGES.items())
def test_every_installed_page_is_public_and_titled(client, path, title):
    html = _get(client, path)
    escaped = title.replace("'", "&#x27;")
    assert re.search(r"<h1[^>]*>\s*" + re.escape(escaped) + r"\s*</h1>", html), path
    assert f"<title>{escaped} \N{EN DASH} {brand()['service_name']}</title>" in html
    assert 'href="#main-content"' in html
    assert "Contains National Statistics data" in html


def test_the_site_root_is_the_installed_home_page():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not any(Page.find_problems()), "the page tree is consistent"
    assert set(site.root_page.get_children().live().values_list("slug", flat=True)) == {
        path.strip("/") for path in CONTENT_PAGES if path != "/"
    }


def test_the_named_routes_keep_their_addresses():
    assert reverse("website:home") == "/"
    for name in ("accessibility", "privacy", "cookies", "contact", "mediation", "leaflet"):
        assert reverse(f"website:{name}") == f"/{name}/"
    assert reverse("website:disagreement_resolution") == "/disagreement-resolution/"
    assert reverse("website:advice") == "/mediation-advice/"
    assert reverse("website:leaflet_pdf") == "/leaflet.pdf"


def test_the_footer_links_reach_the_wagtail_pages(client):
    html = _get(client, "/")
    for path, label in [
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy"),
        ("/cookies/", "Cookies"),
        ("/contact/", "Contact"),
    ]:
        assert f'<a class="govuk-footer__link" href="{path}">{label}</a>' in html
        page = client.get(path).context["page"]
        assert isinstance(page, StandardPage) and page.live


def test_the_footer_links_to_checking_a_certificate_on_every_public_page(client):
    link = '<a class="govuk-footer__link" href="/verify/">Check a mediation certificate</a>'
    for path in ("/", "/mediation-advice/", "/request/", "/deadlines/", "/verify/"):
        footer = _get(client, path).split('<footer class="govuk-footer">', 1)[1]
        assert link in footer, path
    verify = _get(client, "/verify/")
    assert re.search(r"<h1[^>]*>\s*Check a mediation certificate\s*</h1>", verify)


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


def test_the_advice_page_says_how_to_check_a_certificate(client):
    main = _main(_get(client, "/mediation-advice/"))
    text = _text(main)
    assert "Checking a certificate" in text
    assert (
        "Tribunal staff, local authorities and others can check that a mediation certificate from us is "
        "genuine. They need the certificate number and the verification code printed at the bottom of it."
        in text
    )
    assert '<a class="govuk-link" href="/verify/">Check a mediation certificate</a>' in main
    # Only that page: the other pages built on the same template do not repeat it.
    for path in ("/mediation/", "/contact/", "/professionals/"):
        assert "/verify/" not in _main(_get(client, path)), path


def test_the_navigation_marks_the_page_being_read(client):
    html = _get(client, "/mediation/")
    current = re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="(\w+)"', html
    )
    assert current == [("/mediation/", "page")]
    links = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"', html)
    assert links == [
        "/request/",
        "/check-your-area/",
        "/deadlines/",
        "/mediation/",
        "/disagreement-resolution/",
        "/mediation-advice/",
        "/contact/",
        "/verify/",
    ]
    assert "aria-current" not in _get(client, "/").split('id="navigation"')[1].split("</nav>")[0]
    # The family's tasks are marked on their own pages, and on the pages below them.
    for path, section in [("/deadlines/", "/deadlines/"), ("/request/who/", "/request/")]:
        found = re.findall(
            r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="\w+"', _get(client, path)
        )
        assert found == [section], path


def test_a_page_below_a_section_marks_the_section(client):
    mediation = Page.objects.get(slug="mediation")
    child = StandardPage(title="Preparing for the meeting", slug="preparing", body=json.dumps([]))
    mediation.add_child(instance=child)
    child.save_revision().publish()
    html = _get(client, "/mediation/preparing/")
    assert re.findall(r'href="([^"]+)" aria-current="(\w+)"', html) == [("/mediation/", "true")]
    assert '<a class="govuk-breadcrumbs__link" href="/mediation/">Mediation</a>' in html


def test_the_home_page_offers_each_way_in(client):
    html = _get(client, "/")
    text = _text(html)
    for path, heading in [
        ("/mediation-advice/", "Mediation information and advice"),
        ("/mediation/", "Mediation"),
        ("/disagreement-resolution/", "Disagreement resolution"),
    ]:
        assert f'<a class="govuk-link" href="{path}">{heading}</a>' in html
    assert 'href="/request/"' in html and "Ask for help" in text
    assert 'href="/deadlines/">Work out your deadlines</a>' in html
    form = re.search(r'<form method="post" action="/check-your-area/"[^>]*>(.*?)</form>', html, re.S)
    assert form, "the postcode check posts to the coverage checker"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.search(r'<input[^>]*name="postcode"[^>]*autocomplete="postal-code"', form.group(1))
    assert '<label class="govuk-label govuk-label--s" for="coverage-postcode">Postcode</label>' in form.group(
        1
    )
    assert brand()["phone"] in text and brand()["email"] in text


def test_the_home_page_tells_mediation_disagreement_resolution_and_a_certificate_apart(client):
    text = _text(_get(client, "/"))
    assert (
        "Mediation is for a decision by the local authority that you can appeal to the SEND Tribunal" in text
    )
    assert "if you choose it the local authority must come" in text
    assert "Disagreement resolution is for other disagreements" in text
    assert "Everyone involved has to agree to take part" in text
    assert "A mediation certificate is a document, not a meeting" in text
    assert "Disagreement resolution never gives you a certificate" in text


def test_the_mediation_page_says_what_families_need_to_know(client):
    text = _text(_get(client, "/mediation/"))
    for fact in [
        "refusing to carry out an EHC needs assessment",
        "refusing to issue an EHC plan after an assessment",
        "(section B)",
        "(section F)",
        "(section I)",
        "refusing to carry out a new assessment",
        "refusing to change or replace the plan after a review",
        "deciding to stop keeping the plan",
        "sections C, D, G, H1 and H2",
        "Mediation is free for families",
        "You do not have to go to mediation. If you choose it, the local authority must take part",
        "at a venue near you or online",
        "The mediator will:",
        "The mediator will not:",
        "take sides or decide who is right",
        "who will do what, and by when. Everyone signs it, and everyone gets a copy",
    ]:
        assert fact in text, fact


def test_the_disagreement_resolution_page_says_what_families_need_to_know(client):
    text = _text(_get(client, "/disagreement-resolution/"))
    for fact in [
        "only happens if everyone involved agrees to take part",
        "at any time, even after you have appealed to the SEND Tribunal",
        "whether or not they have an education, health and care (EHC) plan",
        "never gives you a mediation certificate",
        "between the local authority and the health service",
    ]:
        assert fact in text, fact


def test_the_advice_page_explains_the_call_the_certificate_and_the_deadline(client):
    html = _get(client, "/mediation-advice/")
    text = _text(html)
    for fact in [
        "The call takes about 20 minutes",
        "A mediation certificate is a document, not a meeting",
        "You can appeal without a certificate if your appeal is only about",
        "the school or college named in the EHC plan",
        "the type of school or college, or that none is named (section I)",
        "You do not need one for a disability discrimination claim",
        "An appeal cannot be about the health or social care parts of a plan on their own",
        "Warning You must contact us within 2 months of the date the local authority sent its decision "
        "letter",
        "The 2 months start from the date on the letter, not the day it reached you",
    ]:
        assert fact in text, fact
    assert '<a href="/deadlines/">Work out your deadlines</a>' in html
    assert '<div class="govuk-warning-text">' in html


def test_the_contact_page_carries_the_brand_details(client):
    text = _text(_get(client, "/contact/"))
    details = brand()
    for key in ("phone", "phone_hours", "phone_charges", "email", "reply_within", "address"):
        assert details[key] in text, key


def test_professionals_are_told_to_refer_only_with_permission(client):
    text = _text(_get(client, "/professionals/"))
    assert "Only refer a family or young person who has agreed to it" in text
    assert "we record it" in text


def test_the_cookies_page_lists_each_cookie_in_a_table(client):
    html = _get(client, "/cookies/")
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Essential cookies</caption>' in html
    cells = re.findall(r'<td class="govuk-table__cell"><code>([^<]+)</code></td>', html)
    assert cells[0] == "sessionid" and "csrftoken" in cells


def test_rich_text_sits_inside_app_prose(client):
    html = _get(client, "/privacy/")
    assert '<div class="app-prose"><p>We use it only to give you mediation advice' in html


def test_healthz_still_answers(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "up"}


def test_an_address_that_is_not_a_page_is_not_found(client):
    assert client.get("/no-such-page/").status_code == 404


def test_a_page_made_private_sends_strangers_to_the_staff_sign_in(client):
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="professionals"), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/professionals/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/professionals/"
