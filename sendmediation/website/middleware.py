"""A strict, nonce-based Content-Security-Policy on every response.

A public CMS page kept for anonymous visitors (page_cache.py) is drawn without a nonce, since one
copy goes to many people; its scripts are all files from our own origin, which 'self' allows, so its
policy is the same without the nonce. Nothing else is relaxed.

Two staff-only areas relax it, each as little as it needs (see docs/decisions/0003-wagtail-admin-csp.md):
Django's admin draws with inline styles, and the Wagtail CMS also starts its widgets with inline
scripts and previews uploads from blob: URLs.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "media-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors {frame_ancestors}"
)
ADMIN_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# A nonce would switch 'unsafe-inline' off, so the CMS policy has none.
CMS_POLICY = ADMIN_POLICY.replace(
    "script-src 'self' 'nonce-{nonce}'", "script-src 'self' 'unsafe-inline'"
).replace("img-src 'self' data:", "img-src 'self' data: blob:")
ADMIN_PATH_PREFIXES = ("/django-admin/",)
CMS_PATH_PREFIX = "/cms/"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefixes = tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ADMIN_PATH_PREFIXES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(18)  # type: ignore[attr-defined]
        response = self.get_response(request)
        # Wagtail renders a preview through the middleware with a stand-in request for the page's own
        # address; the policy belongs to the real request for the CMS screen around it.
        if getattr(request, "is_dummy", False) or "Content-Security-Policy" in response:
            return response
        if request.path.startswith(CMS_PATH_PREFIX):
            policy = CMS_POLICY
        elif request.path.startswith(self.admin_prefixes):
            policy = ADMIN_POLICY
        else:
            policy = POLICY
        # A view that allows same-origin framing (the CMS's preview panel) may be framed by this site only.
        same_origin = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        # A page drawn for the page cache set the nonce aside.
        nonce = getattr(request, "csp_nonce", "")
        if not nonce:
            policy = policy.replace(" 'nonce-{nonce}'", "")
        response["Content-Security-Policy"] = policy.format(
            nonce=nonce, frame_ancestors="'self'" if same_origin else "'none'"
        )
        return response
