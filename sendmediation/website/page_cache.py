"""Anonymous visitors' copies of the public CMS pages, so that a burst of families costs one render.

A page is kept only when Wagtail served it, live and open to everyone, for a GET from a visitor with
no session, no messages and no Authorization header, and answered 200 with HTML, no cookie of its
own, nothing in the session and nothing that asks not to be kept. Staff (signed in, so with a
session) and previews (drawn by a stand-in request, never through Wagtail's serve view) are never
served a kept page nor leave one behind.

A kept page holds nothing that belongs to one response: its scripts are files from our own origin,
so it is drawn without a nonce and its policy has none (see middleware.py), and each CSRF token in
its forms is kept as a gap that is filled with the visitor's own token as the page goes out.

Each key carries a generation. Any change staff make that a page may show (a page published,
unpublished, moved, deleted or made private; a testimonial, a document, a site, a local authority's
coverage; a migration) replaces the generation, so every worker stops serving the old copies with
its next request: the store is shared by all of them (CACHES["pages"] in the settings).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.html import format_html

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
# Set on the request: a visitor to whom a kept page may be served; a page Wagtail served to them.
_MAY_KEEP = "page_cache_may_keep"
_PAGE_SERVED = "page_cache_page_served"

CSRF_FIELD = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
CSRF_GAP = b"<!--page-cache:csrf-token-->"
# A masked CSRF token printed anywhere but a form's field: such a page is not kept.
_TOKEN_LIKE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers the middleware outside this one set for each response.
_NOT_KEPT_HEADERS = {"content-length", "vary", "set-cookie", "content-security-policy"}
_VARY_ALLOWED = {"", "cookie", "accept-encoding"}
_NOT_KEPT_CACHE_CONTROL = {"private", "no-cache", "no-store"}


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (_anonymous_read(request) and _serves_pages(request.path_info)):
            return self.get_response(request)
        store = caches[CACHE_ALIAS]
        key = _key(request, _generation(store))
        kept = _recent.get(key)
        if kept is None:
            kept = store.get(key)
        if kept is not None:
            _remember(key, kept)
            return _kept_response(request, kept)
        setattr(request, _MAY_KEEP, True)
        response = self.get_response(request)
        if request.method == "GET" and getattr(request, _PAGE_SERVED, False):
            entry = _entry(request, response)
            if entry is not None:
                store.set(key, entry)
                _remember(key, entry)
        return response


# This worker's own copies of the pages it served lately, by the same keys. The generation in a key is
# read from the shared store on every request, so a copy here is never served after a change.
_recent: dict[str, dict[str, Any]] = {}
_RECENT_LIMIT = 200


def _remember(key: str, entry: dict[str, Any]) -> None:
    if key not in _recent:
        if len(_recent) >= _RECENT_LIMIT:
            _recent.clear()  # rare (a new generation, or many addresses): simpler than an LRU
        _recent[key] = entry


def note_page_served(page: Any, request: HttpRequest) -> None:
    """Wagtail is about to serve ``page``: draw it without a nonce if it may be kept for everyone."""
    if getattr(request, _MAY_KEEP, False) and not page.get_view_restrictions().exists():
        request.csp_nonce = ""  # type: ignore[attr-defined]
        setattr(request, _PAGE_SERVED, True)


def forget_every_page() -> None:
    """Stop serving every kept page, in every worker, from their next request."""
    caches[CACHE_ALIAS].set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def forget_every_page_on_change(**kwargs: Any) -> None:
    """A signal receiver. Forget now, and again once the change commits: a page drawn from the old
    rows while the change was not yet committed must not outlive it."""
    forget_every_page()
    transaction.on_commit(forget_every_page, using=kwargs.get("using"))


def watch_for_changes() -> None:
    """Connect the receivers (from the app's ready()): one per model, so Django's fast deletes of
    other models are left alone."""
    from wagtail.documents import get_document_model
    from wagtail.models import Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from sendmediation.localities.models import LocalAuthority
    from sendmediation.website.models import Testimonial

    receiver = forget_every_page_on_change
    for signal in (page_published, page_unpublished, post_page_move, post_migrate):
        signal.connect(receiver, dispatch_uid="page_cache")
    models = {Page, *get_page_models(), PageViewRestriction, Site, get_document_model(), Testimonial}
    for model in {*models, LocalAuthority}:
        post_save.connect(receiver, sender=model, dispatch_uid="page_cache")
        post_delete.connect(receiver, sender=model, dispatch_uid="page_cache")


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not getattr(request, "is_dummy", False)
    )


def _serves_pages(path_info: str) -> bool:
    """True for an address Wagtail's page tree answers, so other views never pay for a look-up."""
    return _resolves_to_a_page(path_info) if len(path_info) <= 300 else False


@lru_cache(maxsize=2048)
def _resolves_to_a_page(path_info: str) -> bool:
    from wagtail.views import serve

    from sendmediation.website.views import content_page

    try:
        match = resolve(path_info)
    except Resolver404:
        return False
    return match.func in (serve, content_page)


@cache
def release() -> str:
    """A digest of what the running code draws pages with (our templates, the brand, the static
    files' names, the retention schedule), so a new release never serves a page the one before it kept."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    sources = sorted(base.glob("sendmediation/**/templates/**/*.*"))
    sources += [base / "config" / "brand.json", Path(settings.STATIC_ROOT) / "staticfiles.json"]
    for source in sources:
        if source.is_file():
            digest.update(str(source).encode() + b"\0" + source.read_bytes() + b"\0")
    # The privacy page draws its retention table from this setting.
    digest.update(repr(sorted(getattr(settings, "RETENTION", {}).items())).encode())
    return digest.hexdigest()[:16]


def _generation(store: BaseCache) -> str:
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = store.get(GENERATION_KEY)
    # A store that keeps nothing (the dummy cache) never serves a kept page.
    return str(generation) if generation is not None else secrets.token_hex(8)


def _key(request: HttpRequest, generation: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # The day is in the key, so anything a page works out from today's date is drawn afresh each day.
    return f"page:{generation}:{release()}:{timezone.localdate().isoformat()}:{digest}"


def _entry(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    """What to keep of this response, or None when it must not be kept."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or _tokens(response, "Vary") - _VARY_ALLOWED
        or _tokens(response, "Cache-Control") & _NOT_KEPT_CACHE_CONTROL
    ):
        return None
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if (session is not None and session.modified) or (user is not None and user.is_authenticated):
        return None
    body = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page asked for this visitor's token
        body = CSRF_FIELD.sub(CSRF_GAP, body)
        if _TOKEN_LIKE.search(body):
            return None
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT_HEADERS]
    return {"status": response.status_code, "headers": headers, "body": body}


def _tokens(response: HttpResponse, header: str) -> set[str]:
    return {token.split("=")[0].strip().lower() for token in cc_delim_re.split(response.get(header, ""))}


def _kept_response(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    request.csp_nonce = ""  # type: ignore[attr-defined]
    body: bytes = kept["body"]
    if CSRF_GAP in body:
        field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        body = body.replace(CSRF_GAP, field.encode())
    response = HttpResponse(body, status=kept["status"])
    for name, value in kept["headers"]:
        response[name] = value
    patch_vary_headers(response, ("Cookie",))  # a signed-in person sees the page differently
    return response
