from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sendmediation.localities.models import COVERAGE_FIELDS, CoverageChange, LocalAuthority
from sendmediation.localities.services import check_coverage_dates, update_coverage


def _form_field(field: models.Field, **options: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        options.setdefault("assume_scheme", "https")
    return field.formfield(**options)


class CoverageForm(forms.ModelForm):
    class Meta:
        model = LocalAuthority
        fields = COVERAGE_FIELDS
        formfield_callback = _form_field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            check_coverage_dates(cleaned.get("covered_from"), cleaned.get("covered_to"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class CoverageChangeInline(admin.TabularInline):
    model = CoverageChange
    fields = ("changed_at", "field", "old_value", "new_value", "changed_by", "via")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "History of coverage changes"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CoveredTodayFilter(admin.SimpleListFilter):
    title = "covered today"
    parameter_name = "covered"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.covered(on=today)  # type: ignore[attr-defined]
        if self.value() == "no":
            return queryset.not_covered(on=today)  # type: ignore[attr-defined]
        return queryset


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    """Authorities come from the table in code; staff change only their coverage, through the service."""

    form = CoverageForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "code", "kind", "covered_today", "covered_from", "covered_to", "contact_name")
    list_filter = (CoveredTodayFilter, "kind")
    search_fields = ("name", "code")
    readonly_fields = ("code", "name", "kind")
    fieldsets = (
        (None, {"fields": ("name", "code", "kind")}),
        ("Coverage", {"fields": ("covered_from", "covered_to")}),
        (
            "How families reach us for this authority",
            {"fields": ("contact_name", "contact_phone", "contact_email", "notes")},
        ),
        (
            "Where we do not cover it",
            {"fields": ("other_provider_name", "other_provider_website", "other_provider_phone")},
        ),
        (
            "Local offer and SENDIASS, shown to families whatever our coverage",
            {"fields": ("local_offer_website", "sendiass_name", "sendiass_website", "sendiass_phone")},
        ),
    )
    inlines = (CoverageChangeInline,)

    @admin.display(boolean=True, description="Covered today")
    def covered_today(self, obj: LocalAuthority) -> bool:
        return obj.is_covered(on=timezone.localdate())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: LocalAuthority, form: forms.ModelForm, change: bool
    ) -> None:
        update_coverage(
            authority=obj,
            actor=request.user,  # type: ignore[arg-type]
            changes={name: form.cleaned_data[name] for name in COVERAGE_FIELDS if name in form.cleaned_data},
            via="admin",
        )


@admin.register(CoverageChange)
class CoverageChangeAdmin(admin.ModelAdmin):
    list_display = ("changed_at", "authority", "field", "old_value", "new_value", "changed_by", "via")
    list_filter = ("field", "via")
    search_fields = ("authority__name", "authority__code")
    list_select_related = ("authority", "changed_by")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
