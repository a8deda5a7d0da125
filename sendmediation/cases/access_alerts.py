"""Managers hear when one person opens more cases within an hour than the service expects.

Reading a list (the case list, a search, My work, the request list) is logged but opens no case, so
it never counts here.

Checked as each access row is written, and cheaply: one indexed look-up says whether this person
already opened this case within the hour; only a first opening counts the distinct cases. The
outbox's dedupe key (person, clock hour, manager) makes sure each manager hears once an hour."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.models import AccessLog
from sendmediation.notifications.services import queue_email

WINDOW = datetime.timedelta(hours=1)


def cases_opened_within_the_hour(*, user_id: int, until: datetime.datetime) -> int:
    """How many different cases this person opened in the hour up to ``until``."""
    return (
        AccessLog.objects.filter(user_id=user_id, at__gt=until - WINDOW, at__lte=until, case__isnull=False)
        .exclude(what__in=AccessLog.LIST_READS)
        .values("case_id")
        .distinct()
        .count()
    )


def alert_on_many_cases_opened(*, row: AccessLog) -> None:
    """Queue the managers' email when ``row`` takes its person over the threshold."""
    if row.user_id is None or row.case_id is None or row.what in AccessLog.LIST_READS:
        return
    opened_before = (
        AccessLog.objects.filter(user_id=row.user_id, case_id=row.case_id, at__gt=row.at - WINDOW)
        .exclude(pk=row.pk)
        .exclude(what__in=AccessLog.LIST_READS)
        .exists()
    )
    if opened_before:
        return
    threshold = int(settings.ACCESS_ALERT_CASES_PER_HOUR)
    count = cases_opened_within_the_hour(user_id=row.user_id, until=row.at)
    if count <= threshold:
        return
    person = User.objects.get(pk=row.user_id)
    hour = timezone.localtime(row.at).strftime("%Y-%m-%dT%H")
    report_url = settings.SITE_URL + reverse("access_report:person", args=[person.pk])
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True).exclude(email="").order_by("pk")
    for manager in managers:
        queue_email(
            to=manager.email,
            template="access_alert",
            context={
                "name": person.display_name,
                "role": person.get_role_display() or "No role",
                "count": count,
                "threshold": threshold,
                "at": row.at,
                "report_url": report_url,
            },
            dedupe_key=f"access-alert:{person.pk}:{hour}:{manager.pk}",
        )
