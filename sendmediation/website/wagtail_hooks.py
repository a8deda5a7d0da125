from typing import Any

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import BaseViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sendmediation.accounts.second_factor import second_factor_pending, with_next
from sendmediation.website import page_cache
from sendmediation.website.models import Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    add_to_admin_menu = True
    list_display = ["attribution", "area", "quote", "consent_recorded", "consent_date"]
    list_filter = ["consent_recorded"]


register_snippet(TestimonialViewSet)


def _code_first(request: HttpRequest, restrictions: Any) -> Any:
    """Send a person who gave a password but no code yet to the code page, when what they asked for
    is only for signed-in people (a login or group restriction; a shared password is not a sign-in)."""
    if not second_factor_pending(request.user):
        return None
    if any(restriction.restriction_type != BaseViewRestriction.PASSWORD for restriction in restrictions):
        return redirect(with_next("accounts:second_factor", request.get_full_path()))
    return None


@hooks.register("before_serve_page")
def second_factor_for_private_pages(
    page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> Any:
    """A page only signed-in staff may see also needs the code from their authenticator app."""
    return _code_first(request, page.get_view_restrictions())


@hooks.register("before_serve_page")
def keep_public_pages_for_anonymous_visitors(
    page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> None:
    """A page open to everyone, asked for by a visitor with no session, is drawn so it can be kept."""
    page_cache.note_page_served(page, request)


@hooks.register("before_serve_document")
def second_factor_for_private_documents(document: Any, request: HttpRequest) -> Any:
    """So does a document in a collection only signed-in staff may see."""
    return _code_first(request, document.collection.get_view_restrictions())


@hooks.register("register_admin_menu_item")
def back_to_the_staff_pages() -> MenuItem:
    """The website editor is one part of the service: its menu leads back to the casework pages."""
    return MenuItem("Back to the staff pages", reverse("cases:my_work"), icon_name="arrow-left", order=1)
