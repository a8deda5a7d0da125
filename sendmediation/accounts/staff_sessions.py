"""Signed-in sessions: the idle time-out, each person's list of their own sessions, and signing out
everywhere.

The last request's time is kept in the session itself (server-side), so the time-out holds whatever
the browser does. Each session also has a ``StaffSession`` row, found through the row's id kept in the
session; the row holds a hash of the session key, never the key, and no address.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sendmediation.accounts.models import StaffSession, User

logger = logging.getLogger("sendmediation.accounts.sessions")

LAST_ACTIVE_KEY = "staff_last_active"  # seconds since the epoch, of the last request
RECORD_KEY = "staff_session_id"
SIGNED_OUT_IDLE_KEY = "signed_out_idle"
# The last request's time is written at most this often, so that reading a page is not always a write;
# the time-out can come up to this much early, never late.
ACTIVITY_PRECISION_SECONDS = 60
WARNING_SECONDS = 2 * 60
# The warning's script asks how long is left here; asking does not count as doing something.
STATUS_PATH = "/staff/account/session-status/"


def idle_seconds() -> int:
    return int(settings.STAFF_IDLE_MINUTES) * 60


def _key_hash(session_key: str | None) -> str:
    return hashlib.sha256((session_key or "").encode("utf-8")).hexdigest()


# --- the device, in a few words ------------------------------------------------------------------

_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Opera", re.compile(r"\bOPR/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(?:Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("Mac", re.compile(r"\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def device_summary(user_agent: str) -> str:
    """'Firefox on Windows': enough for a person to tell their own devices apart. The browser's full
    description (which can single a person out) is not kept."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


# --- reads ---------------------------------------------------------------------------------------


def current_sessions_of(user: User, *, now: datetime.datetime | None = None) -> QuerySet[StaffSession]:
    """The person's sessions that are still signed in: any idle longer than the time-out has ended."""
    moment = now or timezone.now()
    cutoff = moment - datetime.timedelta(seconds=idle_seconds() + ACTIVITY_PRECISION_SECONDS)
    return StaffSession.objects.filter(user=user, last_active_at__gt=cutoff)


def this_session_id(request: HttpRequest) -> int | None:
    value = request.session.get(RECORD_KEY)
    return value if isinstance(value, int) else None


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds before this session is signed out for doing nothing; None if nobody is signed in."""
    last = request.session.get(LAST_ACTIVE_KEY)
    if SESSION_KEY not in request.session or not isinstance(last, int | float):
        return None
    return max(0, int(last + idle_seconds() - time.time()))


# --- changes -------------------------------------------------------------------------------------


def start_staff_session(*, request: HttpRequest, user: User) -> StaffSession:
    """Called on every sign-in (Django's ``user_logged_in``): a row for the new session, and the clock
    for the time-out started. Rows of the person's sessions that ended without signing out go."""
    moment = timezone.now()
    if not request.session.session_key:
        request.session.save()  # a key of its own, so that its row is its own
    key_hash = _key_hash(request.session.session_key)
    with transaction.atomic():
        StaffSession.objects.filter(user=user).exclude(
            pk__in=current_sessions_of(user, now=moment).values("pk")
        ).delete()
        # Signing in again within the same session key replaces that session's row.
        StaffSession.objects.filter(session_key_hash=key_hash).delete()
        record = listed_once(
            user=user,
            key_hash=key_hash,
            moment=moment,
            device=device_summary(request.headers.get("User-Agent", "")),
        )
    request.session[RECORD_KEY] = record.pk
    request.session[LAST_ACTIVE_KEY] = int(time.time())
    logger.info("session started user_id=%s session_id=%s", user.pk, record.pk)
    return record


def listed_once(*, user: User, key_hash: str, moment: datetime.datetime, device: str) -> StaffSession:
    """The session's row, made now, or the one another request of the same session made a moment
    before (several tabs opened at once by someone signed in before sessions were listed): one row
    for one session, and neither request fails."""
    try:
        with transaction.atomic():
            return StaffSession.objects.create(
                user=user, session_key_hash=key_hash, started_at=moment, last_active_at=moment, device=device
            )
    except IntegrityError:
        return StaffSession.objects.get(session_key_hash=key_hash, user=user)


def end_staff_session(*, request: HttpRequest, reason: str) -> None:
    """Called on every sign-out (Django's ``user_logged_out``), whatever the reason."""
    record_id = this_session_id(request)
    request.session.pop(RECORD_KEY, None)
    if record_id is not None:
        StaffSession.objects.filter(pk=record_id).delete()
        logger.info("session ended session_id=%s reason=%s", record_id, reason)


def touch_staff_session(*, request: HttpRequest, force: bool = False) -> None:
    """A request from this session: the time-out starts again (written at most once a minute unless
    ``force``, as "Stay signed in" does)."""
    now = int(time.time())
    last = request.session.get(LAST_ACTIVE_KEY)
    if not force and isinstance(last, int | float) and now - last < ACTIVITY_PRECISION_SECONDS:
        return
    request.session[LAST_ACTIVE_KEY] = now
    record_id = this_session_id(request)
    if record_id is not None:
        # The key changes when the second factor is given: the hash follows it, and a row left
        # under that key by an earlier sign-in gives way.
        key_hash = _key_hash(request.session.session_key)
        with transaction.atomic():
            StaffSession.objects.filter(session_key_hash=key_hash).exclude(pk=record_id).delete()
            StaffSession.objects.filter(pk=record_id).update(
                last_active_at=timezone.now(), session_key_hash=key_hash
            )


def sign_out_everywhere(*, request: HttpRequest, keep_this_session: bool) -> int:
    """End every session of the person signed in to ``request`` (but this one, if ``keep_this_session``).

    Raising the person's session generation changes what Django signs each session with, so every
    other session is refused at its next request, wherever it is stored. Returns how many other
    sessions were listed as signed in.
    """
    user: User = request.user  # type: ignore[assignment]
    this_one = this_session_id(request)
    not_this = ~Q(pk=this_one) if this_one is not None else Q()
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        others = current_sessions_of(user).filter(not_this).count()
        StaffSession.objects.filter(not_this, user=user).delete()
    logger.warning(
        "signed out everywhere user_id=%s kept_this_session=%s other_sessions=%s",
        user.pk,
        keep_this_session,
        others,
    )
    if keep_this_session:
        # This session is signed again with the new generation (and gets a new key).
        update_session_auth_hash(request, user)
        touch_staff_session(request=request, force=True)
    else:
        logout(request)
    return others


# --- the time-out --------------------------------------------------------------------------------


class StaffSessionMiddleware:
    """A session with nobody signed in is untouched. A signed-in one idle for longer than
    STAFF_IDLE_MINUTES is signed out before anything else looks at it: the sign-in check after this
    then sends the person to sign in, keeping the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session: Any = request.session
        if SESSION_KEY in session:
            left = seconds_left(request)
            if left is not None and left <= 0:
                end_staff_session(request=request, reason="idle")
                logout(request)
                request.session[SIGNED_OUT_IDLE_KEY] = True
            elif this_session_id(request) is None and request.user.is_authenticated:
                # Signed in before sessions were listed: listed from now on.
                start_staff_session(request=request, user=request.user)
            elif request.path_info != STATUS_PATH:
                touch_staff_session(request=request)
        return self.get_response(request)


def connect_signals() -> None:
    """Every way in and out (the sign-in pages, the CMS's, Django's admin, tests' force_login) goes
    through Django's login() and logout(), which send these."""
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    def _started(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
        if request is not None and hasattr(request, "session"):
            start_staff_session(request=request, user=user)

    def _ended(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
        if request is not None and hasattr(request, "session"):
            end_staff_session(request=request, reason="signed out")

    user_logged_in.connect(_started, dispatch_uid="accounts.start_staff_session", weak=False)
    user_logged_out.connect(_ended, dispatch_uid="accounts.end_staff_session", weak=False)
