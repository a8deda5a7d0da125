"""Background work for casework: rendering certificates, moving dates after a holiday change."""

from __future__ import annotations

from django_tasks import task


@task()
def render_certificate_task(certificate_id: int) -> bool:
    from sendmediation.cases.certificates import store_pdf

    return store_pdf(certificate_id)


@task()
def refresh_deadlines_for_holiday_task(day: str, added: bool) -> int:
    import datetime

    from sendmediation.cases.services import refresh_deadlines_for_holiday
    from sendmediation.statutory.services import fresh_calendar

    return refresh_deadlines_for_holiday(
        day=datetime.date.fromisoformat(day), added=added, calendar=fresh_calendar()
    )
