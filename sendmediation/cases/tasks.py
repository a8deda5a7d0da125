"""Background work for casework: rendering certificates."""

from __future__ import annotations

from django_tasks import task


@task()
def render_certificate_task(certificate_id: int) -> bool:
    from sendmediation.cases.certificates import store_pdf

    return store_pdf(certificate_id)
