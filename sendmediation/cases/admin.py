"""Casework in the admin is for looking only: every change goes through the services and the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sendmediation.cases.models import AccessLog, Case, CaseEvent, Certificate, Deadline


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "status", "local_authority", "received_on"]
    list_filter = ["status", "kind"]
    search_fields = ["reference"]
    # Personal fields stay on the staff pages, where reading them is logged.
    exclude = list(Case.PERSONAL_FIELDS)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["case__reference"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "rule", "due", "met_on", "agreed_override", "stopped_on"]
    list_filter = ["rule"]
    search_fields = ["case__reference"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issued_on", "authority_name"]
    search_fields = ["number"]
    exclude = ["verification_code", "child_initials", "pdf"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["case", "user", "what", "item", "at"]
    list_filter = ["what"]
    search_fields = ["case__reference", "user__username"]
