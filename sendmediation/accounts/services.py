"""Changes to a person's second factor: set up an authenticator app, check a code, remove the app.

Each writes one audit line with user ids only: never a code, a secret or a name.
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import revoke_api_tokens_of

logger = logging.getLogger("sendmediation.accounts.second_factor")

DEVICE_NAME = "Authenticator app"


class SecondFactorError(Exception):
    """A code was not accepted. ``message`` is fit to show the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongCode(SecondFactorError):
    def __init__(self) -> None:
        super().__init__("The code is wrong or has expired: enter the newest code from the app")


class TooManyWrongCodes(SecondFactorError):
    """django-otp's throttle refuses every code, right or wrong, until the wait is over."""

    def __init__(self, *, wait_seconds: int) -> None:
        super().__init__(
            f"You have entered too many wrong codes. Wait {_duration(wait_seconds)}, "
            "then enter the newest code from the app"
        )
        self.wait_seconds = wait_seconds


class NoAuthenticatorApp(SecondFactorError):
    def __init__(self) -> None:
        super().__init__("Start setting up your authenticator app again")


class AlreadySetUp(SecondFactorError):
    """The person has an app already (perhaps set up in another session just now): ask for its code."""

    def __init__(self) -> None:
        super().__init__("Your authenticator app is already set up: enter the code it shows")


# A set-up not finished within a working day is dropped when the next one starts, and only a few
# unfinished ones are kept, so signing in again and again leaves no pile of secrets behind.
UNFINISHED_SET_UP_LIFETIME = datetime.timedelta(hours=8)
UNFINISHED_SET_UPS_KEPT = 3


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


@dataclass(frozen=True)
class _Outcome:
    accepted: bool
    locked_until: datetime.datetime | None = None  # set when the throttle refused the code unheard


def _check_code(device: TOTPDevice, code: str) -> _Outcome:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return _Outcome(accepted=False, locked_until=details["locked_until"])
    return _Outcome(accepted=device.verify_token(code))


def _refusal(outcome: _Outcome) -> SecondFactorError:
    if outcome.locked_until is None:
        return WrongCode()
    wait = max(1, math.ceil((outcome.locked_until - timezone.now()).total_seconds()))
    return TooManyWrongCodes(wait_seconds=wait)


def _one_at_a_time(user: User) -> None:
    """Lock the person's row, so two of their sessions setting up an app take turns."""
    User.objects.select_for_update().filter(pk=user.pk).exists()


def start_authenticator_set_up(*, user: User, device_id: int | None = None) -> TOTPDevice:
    """The app waiting to be confirmed in this session (``device_id``, kept in the session), or a new
    one. Each session gets its own secret, so a password alone never shows the secret another
    session is setting up; the QR code stays the same on every page of one set-up."""
    with transaction.atomic():
        _one_at_a_time(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AlreadySetUp
        unfinished = TOTPDevice.objects.filter(user=user, confirmed=False)
        if device_id is not None:
            device = unfinished.filter(pk=device_id).first()
            if device is not None:
                return device
        unfinished.filter(created_at__lt=timezone.now() - UNFINISHED_SET_UP_LIFETIME).delete()
        newest = list(unfinished.order_by("-pk").values_list("pk", flat=True)[: UNFINISHED_SET_UPS_KEPT - 1])
        unfinished.exclude(pk__in=newest).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        logger.info("second factor set-up started user_id=%s", user.pk)
    return device


def confirm_authenticator(*, user: User, device_id: int | None, code: str) -> TOTPDevice:
    """Prove this session's new app with its first code; only then does it count. Every other app of
    the person's still waiting is dropped."""
    with transaction.atomic():
        _one_at_a_time(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AlreadySetUp
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
            if device_id is not None
            else None
        )
        if device is None:
            raise NoAuthenticatorApp
        # Checked (and a failure counted) inside the transaction; raised after it commits.
        outcome = _check_code(device, code)
        if outcome.accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    if outcome.accepted:
        logger.info("second factor set up user_id=%s device_id=%s", user.pk, device.pk)
        return device
    logger.info("second factor set-up code refused user_id=%s", user.pk)
    raise _refusal(outcome)


def check_sign_in_code(*, user: User, code: str) -> TOTPDevice:
    """The code from the person's confirmed app; django-otp's throttle answers repeated guessing."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        )
        if device is None:
            raise NoAuthenticatorApp
        outcome = _check_code(device, code)
    if outcome.accepted:
        logger.info("second factor verified user_id=%s device_id=%s", user.pk, device.pk)
        return device
    logger.info("second factor code refused user_id=%s failures=%s", user.pk, device.throttling_failure_count)
    raise _refusal(outcome)


def remove_second_factor(*, user: User, removed_by: User | None) -> int:
    """Remove the person's authenticator app (lost or replaced phone): they set one up at next sign-in.

    Their sessions that gave a code stop counting at once, as the app those sessions named is gone.
    """
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        # A token made while the app was theirs stops too: whoever has the phone may have it.
        revoke_api_tokens_of(user=user, reason="authenticator app removed")
    logger.warning(
        "second factor removed user_id=%s removed_by=%s devices=%s",
        user.pk,
        removed_by.pk if removed_by is not None else "command",
        removed,
    )
    return removed
