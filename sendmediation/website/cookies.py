"""The cookies this site sets, described from the settings that set them, so the cookies page cannot drift.

A cookie's name and lifetime come from Django's settings (and the request journey's own lifetime);
only the words about what each is for are written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from sendmediation.intake.services import DRAFT_LIFETIME


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def duration(seconds: float) -> str:
    """A lifetime as people say it: "8 hours", "7 days", "1 year" (Django's 364-day default too)."""
    whole = int(seconds)
    if whole >= 364 * 86400:
        return _count(round(whole / (365 * 86400)), "year")
    if whole >= 86400 and whole % 86400 == 0:
        return _count(whole // 86400, "day")
    if whole >= 3600 and whole % 3600 == 0:
        return _count(whole // 3600, "hour")
    return _count(max(1, round(whole / 60)), "minute")


def essential_cookies() -> list[Cookie]:
    staff = duration(settings.SESSION_COOKIE_AGE)
    journey = duration(DRAFT_LIFETIME.total_seconds())
    session_expiry = (
        "When you close your browser"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"{journey} after you start a request for help; {staff} after a member of staff signs in"
    )
    cookies = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Remembers your answers while you fill in a request for help, and keeps staff signed in",
            session_expiry,
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "Stops other websites sending forms in your name",
            "When you close your browser"
            if settings.CSRF_COOKIE_AGE is None
            else duration(settings.CSRF_COOKIE_AGE),
        ),
    ]
    if settings.MESSAGE_STORAGE.endswith(("CookieStorage", "FallbackStorage")):
        cookies.append(
            Cookie(
                getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
                "Shows a member of staff a message once, after they change something",
                "When you close your browser",
            )
        )
    return cookies
