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

    # No calendar given: each case reads the holidays as they are when its dates are moved.
    return refresh_deadlines_for_holiday(day=datetime.date.fromisoformat(day), added=added)


@task()
def apply_retention_task() -> dict[str, int]:
    from sendmediation.cases.retention import apply_retention

    return apply_retention().counts
