from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sendmediation.website.models import Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    add_to_admin_menu = True
    list_display = ["attribution", "quote", "consent_recorded", "consent_date"]
    list_filter = ["consent_recorded"]


register_snippet(TestimonialViewSet)
