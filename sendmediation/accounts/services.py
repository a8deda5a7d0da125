"""Changes to a person's second factor: invite them to set up an authenticator app, set it up, check a
code, remove the app.

Each writes one audit line with ids only: never a code, a secret, a link or a name.
"""

from __future__ import annotations

import datetime
import logging
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts.models import SecondFactorInvitation, User, hash_token
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


class NoInvitation(SecondFactorError):
    """Setting up an app needs a manager's link, opened in this session: a password alone is not enough."""

    def __init__(self) -> None:
        super().__init__("Ask a manager for a link to set up your authenticator app")


class InvitationRefused(SecondFactorError):
    """A link to set up an app that cannot be used, with the reason in words (``reason`` for the log)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class CannotInvite(SecondFactorError):
    """A manager cannot make a link for this person, with the reason in words."""


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


# --- invitations ---------------------------------------------------------------------------------

INVITATION_PREFIX = "enrol_"


def invitation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SECOND_FACTOR_INVITATION_HOURS)


def invite_to_second_factor(
    *, user: User, invited_by: User | None, now: datetime.datetime | None = None
) -> tuple[SecondFactorInvitation, str]:
    """A new one-time link for ``user`` to set up their authenticator app; any older link of theirs
    stops working. The secret in the link is returned once and only its hash is kept. ``invited_by``
    is None for the command a fresh installation's first manager uses."""
    moment = now or timezone.now()
    if not user.is_active or not user.role:
        raise CannotInvite("Only an active member of staff with a role can set up an authenticator app")
    token = INVITATION_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        _one_at_a_time(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CannotInvite(
                "They already have an authenticator app. "
                "Remove it first if they have lost it or changed phone"
            )
        _withdraw_invitations(user=user, moment=moment)
        invitation = SecondFactorInvitation.objects.create(
            user=user,
            invited_by=invited_by,
            token_hash=hash_token(token),
            created_at=moment,
            expires_at=moment + invitation_lifetime(),
        )
    logger.info(
        "second factor invitation made invitation_id=%s user_id=%s invited_by=%s",
        invitation.pk,
        user.pk,
        invited_by.pk if invited_by is not None else "command",
    )
    return invitation, token


def _withdraw_invitations(*, user: User, moment: datetime.datetime) -> int:
    return SecondFactorInvitation.objects.filter(
        user=user, set_up_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=moment)


def open_invitation(
    *, token: str, user: User | None, now: datetime.datetime | None = None
) -> SecondFactorInvitation:
    """Use a link: it is good once. ``user`` is whoever is signed in in this browser (None if nobody);
    the link must be theirs. The caller keeps the invitation's id in this session only."""
    moment = now or timezone.now()
    with transaction.atomic():
        invitation = (
            SecondFactorInvitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        )
        refusal = _why_not_open(invitation, user=user, moment=moment)
        if invitation is not None and refusal is None:
            invitation.opened_at = moment
            invitation.save(update_fields=["opened_at"])
    if invitation is None or refusal is not None:
        reason = refusal.reason if refusal is not None else "unknown"
        logger.info(
            "second factor invitation refused invitation_id=%s reason=%s",
            invitation.pk if invitation is not None else "none",
            reason,
        )
        raise refusal or InvitationRefused(UNKNOWN_LINK, reason="unknown")
    logger.info(
        "second factor invitation opened invitation_id=%s user_id=%s", invitation.pk, invitation.user_id
    )
    return invitation


def check_invitation(*, token: str, user: User | None, now: datetime.datetime | None = None) -> None:
    """Whether a link could be used, without using it: raises InvitationRefused if not. Opening the
    link only shows a button, so that a mail scanner that follows links does not spend it."""
    invitation = SecondFactorInvitation.objects.filter(token_hash=hash_token(token)).first()
    refusal = _why_not_open(invitation, user=user, moment=now or timezone.now())
    if refusal is not None:
        raise refusal


UNKNOWN_LINK = "This link does not work. Check you copied all of it, or ask a manager for a new one"


def _why_not_open(
    invitation: SecondFactorInvitation | None, *, user: User | None, moment: datetime.datetime
) -> InvitationRefused | None:
    if invitation is None:
        return InvitationRefused(UNKNOWN_LINK, reason="unknown")
    if invitation.withdrawn_at is not None:
        return InvitationRefused(
            "This link has been replaced or withdrawn. Ask a manager for a new one", reason="withdrawn"
        )
    if invitation.opened_at is not None:
        return InvitationRefused(
            "This link has already been used. Ask a manager for a new one", reason="used"
        )
    if invitation.expires_at <= moment:
        return InvitationRefused("This link has expired. Ask a manager for a new one", reason="expired")
    if user is not None and invitation.user_id != user.pk:
        return InvitationRefused(
            "This link is for someone else's account. "
            "Sign out, then open the link again and sign in as yourself",
            reason="another_account",
        )
    return None


def invitation_for_set_up(
    *, user: User, invitation_id: int | None, now: datetime.datetime | None = None
) -> SecondFactorInvitation | None:
    """The invitation this session opened, if it is still good for setting up ``user``'s app."""
    if invitation_id is None:
        return None
    return (
        SecondFactorInvitation.objects.filter(
            pk=invitation_id,
            user=user,
            opened_at__isnull=False,
            set_up_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        .select_for_update()
        .first()
    )


# --- setting up and checking -----------------------------------------------------------------------


def start_authenticator_set_up(
    *, user: User, invitation_id: int | None, device_id: int | None = None
) -> TOTPDevice:
    """The app waiting to be confirmed in this session (``device_id``, kept in the session), or a new
    one. Only a session that opened a manager's link for this person (``invitation_id``, kept in the
    session) gets here. Each session gets its own secret, so a password alone never shows the secret
    another session is setting up; the QR code stays the same on every page of one set-up."""
    with transaction.atomic():
        _one_at_a_time(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AlreadySetUp
        if invitation_for_set_up(user=user, invitation_id=invitation_id) is None:
            raise NoInvitation
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


def confirm_authenticator(
    *, user: User, invitation_id: int | None, device_id: int | None, code: str
) -> TOTPDevice:
    """Prove this session's new app with its first code; only then does it count, and the manager's
    link is spent. Every other app of the person's still waiting is dropped."""
    with transaction.atomic():
        _one_at_a_time(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AlreadySetUp
        invitation = invitation_for_set_up(user=user, invitation_id=invitation_id)
        if invitation is None:
            raise NoInvitation
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
            invitation.set_up_at = timezone.now()
            invitation.save(update_fields=["set_up_at"])
    if outcome.accepted:
        logger.info(
            "second factor set up user_id=%s device_id=%s invitation_id=%s", user.pk, device.pk, invitation.pk
        )
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
    """Remove the person's authenticator app (lost or replaced phone): to set up a new one they need a
    new link from a manager, and any link they had stops working.

    Their sessions that gave a code stop counting at once, as the app those sessions named is gone.
    """
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        _withdraw_invitations(user=user, moment=timezone.now())
        # A token made while the app was theirs stops too: whoever has the phone may have it.
        revoke_api_tokens_of(user=user, reason="authenticator app removed")
    logger.warning(
        "second factor removed user_id=%s removed_by=%s devices=%s",
        user.pk,
        removed_by.pk if removed_by is not None else "command",
        removed,
    )
    return removed
