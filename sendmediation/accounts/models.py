import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac


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
    # Raised by "sign out everywhere": every session signed in before it stops counting.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

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

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django signs each session with a hash of the password; the generation joins it, so that
        # raising it ends every session at its next request, as a new password would. Until the
        # first "sign out everywhere" the hash is Django's own, so no session ends at the upgrade.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "sendmediation.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


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


class SecondFactorInvitation(models.Model):
    """A manager's one-time link for one person to set up their authenticator app.

    Only a hash of the link's secret is kept. The link is opened once, in one signed-in session, and
    the app set up there before ``expires_at``; a newer link for the same person withdraws this one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when made with manage.py invite_to_second_factor.",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    set_up_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="invitation_set_up_only_after_opening",
                condition=Q(set_up_at__isnull=True) | Q(opened_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} for user {self.user_id}"


class StaffSession(models.Model):
    """One signed-in session of one person, for their list of sessions and for signing out everywhere.

    The session key itself is never stored, only its hash; nor is the address it came from. The device is
    a short summary of the browser's own description ("Firefox on Windows").
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    started_at = models.DateTimeField()
    last_active_at = models.DateTimeField()
    device = models.CharField(max_length=60, blank=True)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-last_active_at", "-id"]
        indexes = [models.Index(fields=["user", "last_active_at"], name="staff_session_user_active")]

    def __str__(self) -> str:
        return f"Session {self.pk} of user {self.user_id}"
