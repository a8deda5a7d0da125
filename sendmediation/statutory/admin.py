"""Staff add and remove one-off bank holidays here; every change goes through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sendmediation.accounts.models import User
from sendmediation.statutory.models import OneOffHoliday
from sendmediation.statutory.services import (
    OneOffHolidayRefused,
    add_one_off_holiday,
    remove_one_off_holiday,
    validate_one_off_holiday,
)


class OneOffHolidayForm(forms.ModelForm):
    class Meta:
        model = OneOffHoliday
        fields = ("date", "name")
        # The admin's calendar writes dates as day/month/year, so the hint shows that form.
        help_texts = {"date": "For example, 08/05/2023 for 8 May 2023, or choose it from the calendar."}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_one_off_holiday(date=cleaned["date"], name=cleaned["name"])
        except OneOffHolidayRefused as refused:
            self.add_error(refused.field, refused.message)
        return cleaned


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(OneOffHoliday)
class OneOffHolidayAdmin(admin.ModelAdmin):
    """A holiday entered wrongly is removed and added again, so each change is one service call."""

    form = OneOffHolidayForm
    list_display = ("date", "name", "added_by", "added_at")
    date_hierarchy = "date"

    def get_fields(self, request: HttpRequest, obj: OneOffHoliday | None = None) -> tuple[str, ...]:
        return ("date", "name") if obj is None else ("date", "name", "added_by", "added_at")

    def has_change_permission(self, request: HttpRequest, obj: OneOffHoliday | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OneOffHoliday, form: Any, change: bool) -> None:
        saved = add_one_off_holiday(actor=_actor(request), date=obj.date, name=obj.name)
        # The admin reads the primary key afterwards to log the addition and redirect.
        obj.pk = saved.pk
        obj.added_by = saved.added_by
        obj.added_at = saved.added_at

    def delete_model(self, request: HttpRequest, obj: OneOffHoliday) -> None:
        remove_one_off_holiday(actor=_actor(request), holiday=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OneOffHoliday]) -> None:
        for holiday in queryset:
            remove_one_off_holiday(actor=_actor(request), holiday=holiday)
