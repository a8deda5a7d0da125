"""The project's URLs plus the notifications pages, until config/urls.py includes them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

# Ours first: the website's page tree catches every other path.
urlpatterns = [
    path("staff/notifications/", include("sendmediation.notifications.urls")),
    *[pattern for pattern in project_urlpatterns if getattr(pattern, "namespace", None) != "notifications"],
]
