from __future__ import annotations

import datetime
from typing import Any

from django.apps import AppConfig


def _holiday_changed(sender: Any, *, day: datetime.date, added: bool, **kwargs: Any) -> None:
    from sendmediation.cases.tasks import refresh_deadlines_for_holiday_task

    refresh_deadlines_for_holiday_task.enqueue(day.isoformat(), added)


class CasesConfig(AppConfig):
    name = "sendmediation.cases"
    label = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from sendmediation.cases.services.resolution import void_links_when_case_stops
        from sendmediation.cases.signals import case_stopped
        from sendmediation.statutory.signals import one_off_holidays_changed

        one_off_holidays_changed.connect(_holiday_changed, dispatch_uid="cases.refresh_deadlines_for_holiday")
        case_stopped.connect(void_links_when_case_stops, dispatch_uid="cases.void_consent_links")
