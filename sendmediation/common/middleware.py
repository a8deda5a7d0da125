"""Headers every response carries, whatever app answers it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Browser features no page of the service uses, switched off so that nothing on a page (nor a
# frame) can ask for them. Full screen stays for the CMS's captioned videos.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "sync-xhr=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Pages and answers that carry personal data: staff areas, the API, the sign-in pages and the
# pages a family, a signatory or a party reaches through its own link.
NO_STORE_PATH_PREFIXES = (
    "/staff/",
    "/cms/",
    "/django-admin/",
    "/api/",
    "/sign-in/",
    "/your-case/",
    "/sign/",
    "/dr-consent/",
    "/request/",
)


class NoStoreMiddleware:
    """Cache-Control: no-store on every response under a prefix above, so that neither a shared
    computer's browser nor a proxy keeps a copy of a case."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PATH_PREFIXES) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            add_never_cache_headers(response)
        return response
