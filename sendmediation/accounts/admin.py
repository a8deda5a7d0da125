from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.brand import brand
from sendmediation.accounts import services
from sendmediation.accounts.models import User

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
        description="Remove their authenticator app (they set up a new one when they next sign in)",
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
                "They set up a new one when they next sign in.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "None of them had an authenticator app.", messages.INFO)
