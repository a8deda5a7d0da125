"""The daily job clears answers nobody sent within the journey's lifetime, and keeps the rest."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sendmediation.intake import services
from sendmediation.intake.models import RequestDraft
from sendmediation.intake.tasks import delete_expired_drafts_task

pytestmark = pytest.mark.django_db


def test_the_daily_task_deletes_only_expired_drafts():
    old = services.start_draft()
    fresh = services.start_draft()
    RequestDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    result = delete_expired_drafts_task.enqueue()
    assert result.return_value == 1
    assert list(RequestDraft.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_parent_can_come_back_to_the_answers_another_day(client):
    from sendmediation.intake.tests.journey import answer_all, parent_mediation

    response = answer_all(client, parent_mediation()[:1])
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == int(services.DRAFT_LIFETIME.total_seconds())
