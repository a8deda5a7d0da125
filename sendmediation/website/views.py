from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "website/home.html")


def _simple_page(template: str, title: str):  # type: ignore[no-untyped-def]
    @login_not_required
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template, {"title": title})

    return view


accessibility = _simple_page("website/accessibility.html", "Accessibility statement")
privacy = _simple_page("website/privacy.html", "Privacy notice")
cookies = _simple_page("website/cookies.html", "Cookies")
contact = _simple_page("website/contact.html", "Contact us")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
