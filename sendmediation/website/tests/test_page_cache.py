"""Public CMS pages kept for anonymous visitors: served without Wagtail, forgotten at once on change."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site

from sendmediation.localities.models import LocalAuthority
from sendmediation.website import models as website
from sendmediation.website import page_cache
from sendmediation.website.tests.test_pages import CONTENT_PAGES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

TOKEN_FIELD = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')


def fetch(client: Client, path: str, *, method: str = "get") -> tuple[Any, bool]:
    """The response, and whether it was the kept copy: no query made and no template drawn."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path)
    return response, not queries.captured_queries and not response.templates


def kept(client: Client, path: str) -> Any:
    """Fetch twice as an anonymous visitor; the second answer must be the kept copy."""
    first, first_kept = fetch(client, path)
    assert first.status_code == 200 and not first_kept, path
    second, second_kept = fetch(client, path)
    assert second.status_code == 200 and second_kept, f"{path} was drawn again"
    return second


def text(response: Any) -> str:
    return str(response.content.decode())


def publish(page: Page, **changes: Any) -> Page:
    specific = page.specific
    for field, value in changes.items():
        setattr(specific, field, value)
    specific.save_revision().publish()
    return specific


def manager(personas: Any) -> Client:
    personas.manager.is_superuser = True
    personas.manager.save()
    client = Client()
    client.force_login(personas.manager)
    return client


@contextmanager
def serving_with(wrapper: Callable[..., Any]) -> Iterator[None]:
    """Wagtail's serve chain with ``wrapper`` around it, for this block only."""

    def on_serve_page(next_serve: Callable[..., Any]) -> Callable[..., Any]:
        def serve(page: Any, request: Any, args: Any, kwargs: Any) -> Any:
            return wrapper(next_serve, page, request, args, kwargs)

        return serve

    with hooks.register_temporarily("on_serve_page", on_serve_page):
        yield


# Served without Wagtail


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_every_content_page_is_served_from_the_kept_copy_without_a_query(client, path):
    first = client.get(path)
    again, from_kept_copy = fetch(client, path)
    assert again.status_code == 200 and from_kept_copy
    assert TOKEN_FIELD.sub("", text(again)) == TOKEN_FIELD.sub("", text(first))


def test_a_head_request_is_answered_from_the_kept_copy(client):
    kept(client, "/mediation/")
    response, from_kept_copy = fetch(client, "/mediation/", method="head")
    assert response.status_code == 200 and from_kept_copy
    assert response["Content-Type"].startswith("text/html")


def test_an_address_with_a_query_is_kept_apart(client):
    kept(client, "/mediation/")
    response, from_kept_copy = fetch(client, "/mediation/?utm_source=newsletter")
    assert response.status_code == 200 and not from_kept_copy
    assert fetch(client, "/mediation/?utm_source=newsletter")[1]


# Forgotten at once


def test_publishing_a_change_shows_the_new_text_at_once(client):
    kept(client, "/mediation/")
    publish(Page.objects.get(slug="mediation"), title="Mediation, in plain words")
    response, from_kept_copy = fetch(client, "/mediation/")
    assert not from_kept_copy
    assert "Mediation, in plain words" in text(response)
    # Every other page shows the title in its breadcrumbs or links: none keeps the old one.
    assert not fetch(client, "/")[1]


def test_unpublishing_a_page_gives_page_not_found_at_once(client):
    kept(client, "/young-people/")
    Page.objects.get(slug="young-people").unpublish()
    assert client.get("/young-people/").status_code == 404


def test_deleting_a_page_gives_page_not_found_at_once(client):
    kept(client, "/young-people/")
    Page.objects.get(slug="young-people").delete()
    assert client.get("/young-people/").status_code == 404


def test_moving_a_page_serves_the_new_address_and_not_the_old(client):
    kept(client, "/young-people/")
    page = Page.objects.get(slug="young-people")
    page.move(Page.objects.get(slug="mediation"), pos="last-child")
    moved = client.get("/mediation/young-people/")
    assert moved.status_code == 200 and "For young people" in text(moved)
    old = client.get("/young-people/")
    assert old.status_code != 200
    if old.status_code in (301, 302):
        assert old["Location"].endswith("/mediation/young-people/")


def test_a_page_made_private_is_no_longer_served_to_strangers(client):
    kept(client, "/professionals/")
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="professionals"), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/professionals/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_new_testimonial_shows_on_the_home_page_at_once(client):
    from sendmediation.localities.models import LocalAuthority

    LocalAuthority.objects.filter(code="E09000033").update(covered_from=datetime.date(2024, 4, 1))
    kept(client, "/")
    website.Testimonial.objects.create(
        quote="They listened to all of us.",
        attribution="Parent, Westminster",
        area=LocalAuthority.objects.get(code="E09000033"),
        consent_recorded=True,
        consent_date=timezone.localdate(),
    )
    assert "They listened to all of us." in text(client.get("/"))


def _save_testimonial() -> None:
    website.Testimonial.objects.first().save()  # type: ignore[union-attr]


def _delete_testimonial() -> None:
    website.Testimonial.objects.first().delete()  # type: ignore[union-attr]


def _save_draft() -> None:
    page = Page.objects.get(slug="contact").specific
    page.title = "Contact us, redrafted"
    page.save_revision()


def _save_document() -> None:
    from django.core.files.base import ContentFile

    get_document_model().objects.create(title="Guide", file=ContentFile(b"%PDF-1.4", name="guide.pdf"))


def _save_site() -> None:
    Site.objects.get(is_default_site=True).save()


def _change_coverage() -> None:
    authority = LocalAuthority.objects.order_by("code").first()
    assert authority is not None
    authority.contact_phone = "0300 000 0000"
    authority.save()


@pytest.mark.parametrize(
    "change",
    [_save_testimonial, _delete_testimonial, _save_draft, _save_document, _save_site, _change_coverage],
)
def test_every_change_a_page_may_show_forgets_the_kept_pages(client, change):
    kept(client, "/")
    change()
    assert not fetch(client, "/")[1]


def test_a_page_drawn_while_a_change_is_made_is_not_kept(client):
    """The change lands between the look-up and the keeping: the old drawing must not outlive it."""

    def publish_meanwhile(serve: Callable[..., Any], page: Any, request: Any, args: Any, kwargs: Any) -> Any:
        response = serve(page, request, args, kwargs)
        if page.slug == "mediation":
            publish(Page.objects.get(slug="mediation"), title="Mediation, changed meanwhile")
        return response

    with serving_with(publish_meanwhile):
        drawn_before = client.get("/mediation/")
    assert "Mediation, changed meanwhile" not in text(drawn_before)
    assert "Mediation, changed meanwhile" in text(client.get("/mediation/"))


# Never kept for, or served to, anyone with a session, staff or preview


def test_signed_in_staff_never_get_the_kept_copy_nor_leave_one(client, personas):
    staff = manager(personas)
    drawn_for_staff, from_kept_copy = fetch(staff, "/")
    assert not from_kept_copy
    assert "'nonce-" in drawn_for_staff["Content-Security-Policy"]
    first, from_kept_copy = fetch(client, "/")
    assert not from_kept_copy, "the page drawn for staff was not kept"
    assert fetch(client, "/")[1]
    again, from_kept_copy = fetch(staff, "/")
    assert not from_kept_copy
    assert "Staff sign in" not in text(again) and "Staff sign in" in text(first)


def test_a_visitor_with_a_session_never_gets_the_kept_copy(client):
    kept(client, "/")
    family = Client()
    family.post("/check-your-area/", {"postcode": "SW1A 1AA"})
    assert "sessionid" in family.cookies
    response, from_kept_copy = fetch(family, "/")
    assert response.status_code == 200 and not from_kept_copy
    assert "'nonce-" in response["Content-Security-Policy"]
    # Nor did the page drawn for them replace the kept one.
    assert fetch(client, "/")[1]


def test_a_visitor_with_messages_waiting_never_gets_the_kept_copy(client):
    kept(client, "/")
    client.cookies["messages"] = "anything"
    assert not fetch(client, "/")[1]


def test_a_preview_is_never_the_kept_copy_nor_kept(client, personas):
    page = Page.objects.get(slug="mediation").specific
    page.title = "Mediation, a draft"
    page.save_revision()
    kept(client, "/mediation/")
    draft = manager(personas).get(f"/cms/pages/{page.pk}/view_draft/")
    assert draft.status_code == 200 and "Mediation, a draft" in text(draft)
    live, from_kept_copy = fetch(client, "/mediation/")
    assert from_kept_copy and "Mediation, a draft" not in text(live)


def test_a_page_behind_a_password_is_never_kept(client):
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="professionals"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="kestrel",
    )
    for _ in range(2):
        response, from_kept_copy = fetch(client, "/professionals/")
        assert response.status_code == 200 and not from_kept_copy


def test_a_page_that_sets_a_cookie_or_writes_the_session_is_never_kept(client):
    def with_cookie(serve: Callable[..., Any], *args: Any) -> Any:
        response = serve(*args)
        response.set_cookie("seen", "yes")
        return response

    def writing_the_session(serve: Callable[..., Any], page: Any, request: Any, *args: Any) -> Any:
        request.session["seen"] = "yes"
        return serve(page, request, *args)

    for wrapper in (with_cookie, writing_the_session):
        with serving_with(wrapper):
            for _ in range(2):
                assert not fetch(Client(), "/mediation/")[1]


# What a kept page carries


def test_the_kept_page_has_a_strict_policy_without_a_nonce_and_every_security_header(client):
    drawn, from_kept_copy = fetch(client, "/")
    assert not from_kept_copy
    again, from_kept_copy = fetch(client, "/")
    assert from_kept_copy
    for response in (drawn, again):
        policy = response["Content-Security-Policy"]
        assert re.search(r"script-src 'self';", policy), policy
        assert "nonce" not in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "nonce=" not in text(response)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Cookie" in response["Vary"]
    assert drawn["Content-Security-Policy"] == again["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*>", text(again))
    assert scripts and all("src=" in tag for tag in scripts), "only script files, nothing inline"


def test_each_visitor_gets_their_own_form_token_and_no_one_elses():
    first = Client(enforce_csrf_checks=True)
    first_token = TOKEN_FIELD.search(text(first.get("/")))
    assert first_token
    stored = caches[page_cache.CACHE_ALIAS].get(_key_for("/"))
    assert page_cache.CSRF_GAP in stored["body"] and first_token.group(1).encode() not in stored["body"]

    second = Client(enforce_csrf_checks=True)
    response, from_kept_copy = fetch(second, "/")
    assert from_kept_copy
    second_token = TOKEN_FIELD.search(text(response))
    assert second_token and second_token.group(1) != first_token.group(1)
    assert "csrftoken" in response.cookies
    answer = second.post(
        "/check-your-area/", {"postcode": "SW1A 1AA", "csrfmiddlewaretoken": second_token.group(1)}
    )
    assert answer.status_code == 303


def _key_for(path: str) -> str:
    request = RequestFactory().get(path)
    return page_cache._key(request, page_cache._generation(caches[page_cache.CACHE_ALIAS]))


# In a real browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_kept_home_page_runs_its_scripts_passes_axe_and_its_form_works(
    live_server, page, page_without_js, assert_accessible
):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security" in message.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/")
    title = page.get_by_role("heading", level=1).inner_text()
    # Changed behind Wagtail's back (no signal): only the kept copy still shows the old title.
    Page.objects.filter(depth=2).update(title="Not what the kept copy says")
    for tab in (page, page_without_js):
        response = tab.goto(live_server.url + "/")
        assert tab.get_by_role("heading", level=1).inner_text() == title, "served from the kept copy"
        assert "nonce" not in response.headers["content-security-policy"]
        assert_accessible(tab, label="home page, kept copy")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert problems == []
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_label("Postcode").fill("SW1A 1AA")
        page.get_by_role("button", name="Check your area").click()
    assert posted.value.status == 303, "the form token filled in for this browser was accepted"
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/check-your-area/")
    assert not page.title().startswith("Sorry, we could not send your answers")
    assert problems == []
