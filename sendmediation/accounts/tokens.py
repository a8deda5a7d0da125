"""Issuing, checking and revoking the staff API's bearer tokens."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import ApiToken, User, hash_token

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "smk_"  # noqa: S105 - a label, not a secret
# Writing last_used_at on every request would make every read a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)
DEFAULT_LIFETIME_DAYS = 90


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", DEFAULT_LIFETIME_DAYS)))


def password_digest(user: User) -> str:
    """Changes whenever the person's password does; the password hash itself is never copied."""
    return hashlib.sha256(f"api-token:{user.pk}:{user.password}".encode()).hexdigest()


def create_api_token(
    *,
    user: User,
    name: str = "",
    scope: str = ApiToken.Scope.READ_AND_ACT,
    days: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``, read-only or read-and-act, that stops working after ``days`` (90 by
    default), when the person's password changes or their authenticator app is removed. The token
    itself is returned once and never stored."""
    if not user.is_active or not user.role:
        raise ValueError("Only an active member of staff with a role can have an API token")
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"A token's scope is one of: {', '.join(ApiToken.Scope.values)}")
    lifetime = datetime.timedelta(days=days) if days is not None else token_lifetime()
    if lifetime <= datetime.timedelta(0):
        raise ValueError("A token must last at least a day")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    moment = now or timezone.now()
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            name=name[:100],
            token_hash=hash_token(token),
            prefix=token[:12],
            scope=scope,
            expires_at=moment + lifetime,
            password_digest=password_digest(user),
        )
    logger.info("API token id=%s created for user id=%s scope=%s", row.pk, user.pk, scope)
    return row, token


def live_token(token: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The live token row (with its user) for this bearer token; None for anything else: unknown,
    revoked, expired, made before the person's password changed, or for someone no longer active."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    moment = now or timezone.now()
    row = (
        ApiToken.objects.select_related("user", "user__local_authority")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    expires = row.expires_at or row.created_at + token_lifetime()
    if moment >= expires:
        return None
    if row.password_digest and row.password_digest != password_digest(row.user):
        revoke_api_token(token=row, now=moment, reason="password changed")
        return None
    if row.last_used_at is None or moment - row.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=moment)
    return row


def user_for_token(token: str, *, now: datetime.datetime | None = None) -> User | None:
    """The active user a live token belongs to; None for anything else."""
    row = live_token(token, now=now)
    return row.user if row is not None else None


def revoke_api_token(
    *, token: ApiToken, now: datetime.datetime | None = None, reason: str = "revoked"
) -> bool:
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    if revoked:
        logger.info("API token id=%s revoked (%s)", token.pk, reason)
    return bool(revoked)


def revoke_api_tokens_of(*, user: User, reason: str, now: datetime.datetime | None = None) -> int:
    """Stop every live token of this person (their password changed, their app was removed)."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    if revoked:
        logger.info("API tokens of user id=%s revoked: %s (%s)", user.pk, revoked, reason)
    return revoked
