import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A member of staff, or an officer of a local authority, who signs in."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Case coordinator"
        ADVISER = "adviser", "Mediation adviser"
        MEDIATOR = "mediator", "Mediator"
        MANAGER = "manager", "Manager"
        LA_OFFICER = "la_officer", "Local authority officer"

    role = models.CharField(max_length=20, choices=Role.choices)
    local_authority = models.ForeignKey(
        "localities.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text="Only for local authority officers: the one authority whose cases they see.",
    )
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="la_officer_has_one_authority",
                condition=(Q(role="la_officer") & Q(local_authority__isnull=False))
                | (~Q(role="la_officer") & Q(local_authority__isnull=True)),
                violation_error_message=(
                    "A local authority officer needs an authority; other staff must not have one."
                ),
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def hash_token(token: str) -> str:
    # The tokens are long and random, so a fast hash is enough and lookups stay indexed.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the staff API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The start of the token, to tell it apart."
    )

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_AND_ACT = "read_and_act", "Read and act on cases"

    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty only for tokens made before expiry."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A digest of the password the person had when the token was made: a new password stops it.
    password_digest = models.CharField(max_length=64, blank=True, default="", editable=False)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
