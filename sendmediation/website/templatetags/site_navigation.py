"""The public pages in the service navigation, with the one being read marked as current."""

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()

# These addresses are printed in leaflets and letters, so they are fixed routes, not menu settings.
PUBLIC_NAVIGATION = [
    # What a family comes to do, first.
    ("Ask for help", "intake:start"),
    ("Check your area", "website:coverage"),
    ("Work out deadlines", "website:deadlines"),
    ("Mediation", "website:mediation"),
    ("Disagreement resolution", "website:disagreement_resolution"),
    ("Advice", "website:advice"),
    ("Contact", "website:contact"),
    # Tribunal staff and local authorities look for this first; it is not buried in the footer.
    ("Check a certificate", "cases_public:verify"),
]


@register.inclusion_tag("website/includes/service_navigation.html", takes_context=True)
def service_navigation(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    current_path = getattr(request, "path", "")
    items = []
    for label, name in PUBLIC_NAVIGATION:
        href = reverse(name)
        if current_path == href:
            current = "page"
        elif current_path.startswith(href):
            current = "true"  # a page below this one
        else:
            current = ""
        items.append({"label": label, "href": href, "current": current})
    return {"items": items}
