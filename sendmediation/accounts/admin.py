from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.brand import brand
from sendmediation.accounts import services
from sendmediation.accounts.models import ApiToken, User
from sendmediation.accounts.tokens import revoke_api_token

# The administration pages carry the service's name, and their "View site" link goes back to the
# staff pages (the admin's own template is overridden in sendmediation/templates/admin/).
admin.site.site_header = f"{brand()['service_name']}: administration"
admin.site.site_title = f"{brand()['service_name']} administration"
admin.site.index_title = "Accounts, records and settings"
admin.site.site_url = "/staff/cases/my-work/"

# django-otp's own device admin shows each secret and its QR code: managers only ever need to remove one.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "local_authority",
        "is_active",
        "has_authenticator_app",
    )
    list_filter = ("role", "is_active", "local_authority")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Role", {"fields": ("role", "local_authority", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role", {"fields": ("role", "local_authority")}),
    )
    actions = ("remove_authenticator_app",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                authenticator_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            )
        )

    @admin.display(boolean=True, description="Authenticator app", ordering="authenticator_app")
    def has_authenticator_app(self, user: User) -> bool:
        return bool(getattr(user, "authenticator_app", False))

    @admin.action(
        permissions=["change"],
        description="Remove their authenticator app (they need a new link from a manager to set up another)",
    )
    def remove_authenticator_app(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        removed_by: User = request.user  # type: ignore[assignment]
        people = 0
        for user in queryset:
            if services.remove_second_factor(user=user, removed_by=removed_by):
                people += 1
        if people:
            self.message_user(
                request,
                f"Removed the authenticator app for {people} {'person' if people == 1 else 'people'}. "
                "To set up a new one they need a new link: make it on the staff pages, under "
                "Authenticator apps.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "None of them had an authenticator app.", messages.INFO)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """For looking and revoking only: tokens are issued with ``manage.py create_api_token``."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the revoke action; the form itself has no editable fields.
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ApiToken._meta.fields]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = sum(revoke_api_token(token=token) for token in queryset)
        self.message_user(request, f"{count} token(s) revoked", messages.SUCCESS)
