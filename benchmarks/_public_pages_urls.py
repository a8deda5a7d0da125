"""The product's URLs plus one bare view, for benchmarks/public_pages.py only."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BODY = b"<!DOCTYPE html><title>Baseline</title><p>A constant response.</p>"


@login_not_required
def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__baseline__/", constant),  # BASELINE_PATH in benchmarks/public_pages.py
    path("", include("config.urls")),
]
