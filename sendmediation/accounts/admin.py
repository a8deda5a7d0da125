from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from sendmediation.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "local_authority", "is_active")
    list_filter = ("role", "is_active", "local_authority")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Role", {"fields": ("role", "local_authority", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role", {"fields": ("role", "local_authority")}),
    )
