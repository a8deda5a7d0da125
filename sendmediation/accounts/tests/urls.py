"""A page that needs a sign-in outside the staff areas, to show the second factor guards it too."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def reports(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reports")


@login_not_required
def open_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("open")


urlpatterns = [
    path("", include("sendmediation.accounts.urls")),
    path("reports/", reports),
    path("open/", open_page),
]
