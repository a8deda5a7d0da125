from typing import Any

from django.http import HttpRequest
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sendmediation.accounts.second_factor import second_factor_pending, with_next
from sendmediation.website.models import Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    add_to_admin_menu = True
    list_display = ["attribution", "quote", "consent_recorded", "consent_date"]
    list_filter = ["consent_recorded"]


register_snippet(TestimonialViewSet)


@hooks.register("before_serve_page")
def second_factor_for_private_pages(
    page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> Any:
    """A page only signed-in staff may see also needs the code from their authenticator app."""
    if not second_factor_pending(request.user):
        return None
    restricted = any(
        restriction.restriction_type != PageViewRestriction.PASSWORD
        for restriction in page.get_view_restrictions()
    )
    if restricted:
        return redirect(with_next("accounts:second_factor", request.get_full_path()))
    return None
