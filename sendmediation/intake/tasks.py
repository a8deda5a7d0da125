"""Background work for the request journey: clearing answers nobody sent."""

from __future__ import annotations

from django_tasks import task


@task()
def delete_expired_drafts_task() -> int:
    from sendmediation.intake.services import delete_expired_drafts

    return delete_expired_drafts()
