"""One-off bank holidays that staff add, and the marker that tells every process they changed.

The deadline rules stay pure: ``services.current_calendar()`` reads these rows and hands the rules
an ordinary ``WorkingDayCalendar``.  Rows change only through ``services.add_one_off_holiday`` and
``services.remove_one_off_holiday``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendmediation.statutory.calendar import format_date


class OneOffHoliday(models.Model):
    """A bank holiday proclaimed for one year only (for example, a coronation or a jubilee)."""

    date = models.DateField(unique=True, help_text="For example, 8 May 2023.")
    name = models.CharField(max_length=100, help_text="As the proclamation names it.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    added_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["date"]
        verbose_name = "one-off bank holiday"

    def __str__(self) -> str:
        return f"{self.name}, {format_date(self.date)}"


class OneOffHolidaysVersion(models.Model):
    """A single row whose token changes whenever a one-off holiday is added or removed.

    Each process keeps its calendar until it sees a different token, so a holiday added on one
    server reaches the others without restarting them.
    """

    token = models.UUIDField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(name="statutory_one_version_row", condition=models.Q(id=1))]

    def __str__(self) -> str:
        return f"One-off holidays changed at {self.changed_at.isoformat(timespec='seconds')}"
