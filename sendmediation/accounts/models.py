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
