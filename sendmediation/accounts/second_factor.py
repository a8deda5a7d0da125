"""Reading the second factor: whether a person still owes a code, their app, and how the app is set up."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.brand import brand
from sendmediation.accounts.models import User

QR_CODE_LABEL = "QR code to scan with your authenticator app"


def second_factor_pending(user: object) -> bool:
    """True when the setting is on and this signed-in person has not yet given a code in this session."""
    if not settings.STAFF_SECOND_FACTOR or not getattr(user, "is_authenticated", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    # Without django-otp's middleware nobody counts as verified: deny rather than let through.
    return not (callable(is_verified) and is_verified())


def confirmed_device(user: User) -> TOTPDevice | None:
    """The authenticator app that this person has set up and proved with a code, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def safe_next(request: HttpRequest) -> str:
    """The page the person first asked for, when it is on this site; otherwise the staff home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: anything else ("0", "cases") would be taken for a view's name.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def grouped_secret(device: TOTPDevice) -> str:
    """The secret in groups of 4, as people type it into an app by hand."""
    secret = base32_secret(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_uri(device: TOTPDevice) -> str:
    """The otpauth:// address that an authenticator app reads from the QR code."""
    issuer = brand()["service_name"].replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": base32_secret(device),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The QR code as inline SVG with an accessible name and no style attribute (the CSP forbids them)."""
    svg = segno.make(authenticator_uri(device), error="m").svg_inline(
        scale=4, border=4, dark="#0b0c0c", light="#ffffff", title=QR_CODE_LABEL, svgclass=None
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - our own SVG
