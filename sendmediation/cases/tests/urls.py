"""Casework's URLs, then the project's, until config/urls.py includes them (before Wagtail's catch-all)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_OURS = {"cases", "cases_public"}

urlpatterns = [
    path("staff/cases/", include("sendmediation.cases.urls")),
    path("", include("sendmediation.cases.public_urls")),
    *[pattern for pattern in project_urlpatterns if getattr(pattern, "namespace", None) not in _OURS],
]
