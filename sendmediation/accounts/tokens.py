"""Issuing, checking and revoking the staff API's bearer tokens."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import ApiToken, User, hash_token

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "smk_"  # noqa: S105 - a label, not a secret
# Writing last_used_at on every request would make every read a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def create_api_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``. The token itself is returned once and never stored."""
    if not user.is_active or not user.role:
        raise ValueError("Only an active member of staff with a role can have an API token")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, name=name[:100], token_hash=hash_token(token), prefix=token[:12]
        )
    logger.info("API token id=%s created for user id=%s", row.pk, user.pk)
    return row, token


def user_for_token(token: str, *, now: datetime.datetime | None = None) -> User | None:
    """The active user a live token belongs to; None for anything else."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user", "user__local_authority")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    moment = now or timezone.now()
    if row.last_used_at is None or moment - row.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=moment)
    return row.user


def revoke_api_token(*, token: ApiToken, now: datetime.datetime | None = None) -> bool:
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    if revoked:
        logger.info("API token id=%s revoked", token.pk)
    return bool(revoked)
