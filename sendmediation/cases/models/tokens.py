"""Bearer tokens for the staff API. Only a hash is stored; the token is shown once."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


def hash_token(token: str) -> str:
    # The tokens are long and random, so a fast hash is enough and lookups stay indexed.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The start of the token, to tell it apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
