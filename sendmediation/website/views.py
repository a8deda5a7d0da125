from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.views import serve as wagtail_serve

from config.brand import brand
from sendmediation.common.health import database_state
from sendmediation.website import leaflet
from sendmediation.website.models import LeafletPage


@login_not_required
def content_page(request: HttpRequest, path: str) -> HttpResponse:
    """Serve the page at this path from the Wagtail page tree, as its catch-all route would."""
    response: HttpResponse = wagtail_serve(request, path)
    return response


@login_not_required
@require_safe
def leaflet_pdf(request: HttpRequest) -> HttpResponseBase:
    page = LeafletPage.objects.live().public().order_by("path").first()
    if page is None:
        raise Http404("There is no published leaflet")
    response = FileResponse(leaflet.leaflet_pdf(page).open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(brand()["short_name"])}-leaflet.pdf"'
    return response


@login_not_required
@never_cache
@require_safe
def cms_sign_in(request: HttpRequest) -> HttpResponse:
    """Staff sign in to the CMS on the one sign-in page; someone signed in without CMS access is told so."""
    if request.user.is_authenticated:
        return render(request, "website/cms_no_access.html", status=403)
    return redirect_to_login(request.GET.get("next") or "/cms/")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query and takes a write, 503 when it does not."""
    state = database_state()
    if state != "up":
        return JsonResponse({"status": "unavailable", "database": state}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long, or after the browser dropped its cookies: say what
    to do in plain words, on the site's own layout. The reason is for the log, never the page."""
    return render(request, "403_csrf.html", status=403)
