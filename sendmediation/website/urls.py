from django.urls import include, path

from sendmediation.website import views

app_name = "website"


def _page(route: str, name: str):  # type: ignore[no-untyped-def]
    """A page from the Wagtail tree at a fixed, named address (other code and printed material link to it)."""
    return path(route, views.content_page, {"path": route}, name=name)


urlpatterns = [
    _page("", "home"),
    _page("mediation/", "mediation"),
    _page("disagreement-resolution/", "disagreement_resolution"),
    _page("mediation-advice/", "advice"),
    _page("leaflet/", "leaflet"),
    _page("contact/", "contact"),
    _page("accessibility/", "accessibility"),
    _page("privacy/", "privacy"),
    _page("cookies/", "cookies"),
    path("leaflet.pdf", views.leaflet_pdf, name="leaflet_pdf"),
    path("healthz", views.healthz, name="healthz"),
    path("deadlines/", include("sendmediation.website.deadlines")),
    path("check-your-area/", include("sendmediation.website.coverage")),
]
