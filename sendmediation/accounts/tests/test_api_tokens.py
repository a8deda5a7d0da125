"""Staff API tokens: least privilege, a limited life, stopped by a new password or a removed app."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from sendmediation.accounts.models import ApiToken
from sendmediation.accounts.services import remove_second_factor
from sendmediation.accounts.tokens import create_api_token, live_token
from sendmediation.cases.tests.builders import case_in

pytestmark = pytest.mark.django_db


def _get(token: str, url: str = "/api/v1/cases"):
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_read_only_token_reads_but_cannot_act(personas):
    case = case_in(personas, "received")
    _, token = create_api_token(user=personas.coordinator, scope=ApiToken.Scope.READ)
    assert _get(token).status_code == 200
    response = Client().post(
        f"/api/v1/cases/{case.reference}/actions/triage",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"
    case.refresh_from_db()
    assert case.status == "received"
    _, acting = create_api_token(user=personas.coordinator, scope=ApiToken.Scope.READ_AND_ACT)
    assert (
        Client()
        .post(
            f"/api/v1/cases/{case.reference}/actions/triage",
            {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {acting}",
        )
        .status_code
        == 200
    )


def test_a_token_expires_after_90_days_by_default(personas):
    made = timezone.now()
    row, token = create_api_token(user=personas.coordinator, now=made)
    assert row.expires_at == made + datetime.timedelta(days=90)
    assert live_token(token, now=made + datetime.timedelta(days=89, hours=23)) is not None
    assert live_token(token, now=made + datetime.timedelta(days=90)) is None
    short, short_token = create_api_token(user=personas.coordinator, days=1)
    assert _get(short_token).status_code == 200
    ApiToken.objects.filter(pk=short.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _get(short_token).status_code == 401


def test_a_new_password_stops_every_token(personas):
    _, token = create_api_token(user=personas.coordinator)
    assert _get(token).status_code == 200
    personas.coordinator.set_password("a-new-long-password-2026")
    personas.coordinator.save()
    assert _get(token).status_code == 401
    assert ApiToken.objects.get(user=personas.coordinator).revoked_at is not None


def test_removing_the_authenticator_app_stops_every_token(personas):
    _, token = create_api_token(user=personas.coordinator)
    remove_second_factor(user=personas.coordinator, removed_by=personas.manager)
    assert _get(token).status_code == 401


def test_each_use_is_logged_with_ids_only(personas, caplog):
    row, token = create_api_token(user=personas.coordinator)
    case = case_in(personas, "received")
    with caplog.at_level(logging.INFO, logger="sendmediation.api.tokens"):
        assert _get(token, f"/api/v1/cases/{case.reference}").status_code == 200
    lines = [record.getMessage() for record in caplog.records if record.name == "sendmediation.api.tokens"]
    assert lines == [
        f"API token id={row.pk} user id={personas.coordinator.pk} GET {lines[0].rsplit(' ', 1)[-1]}"
    ]
    for personal in ("Amir", "Khan", "cora", "Cora", personas.parent.email):
        assert personal not in lines[0]


@override_settings(STAFF_API_RATE_LIMIT=3)
def test_staff_endpoints_are_throttled_per_token(personas):
    from django.core.cache import cache

    cache.clear()
    _, token = create_api_token(user=personas.coordinator)
    statuses = [_get(token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    _, other = create_api_token(user=personas.adviser)
    assert _get(other).status_code == 200
