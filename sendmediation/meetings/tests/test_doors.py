"""Arranging a meeting: the page and the API refuse the same input with the same words."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from sendmediation.accounts.tokens import create_api_token
from sendmediation.meetings.tests.conftest import dr_case, soon
from sendmediation.meetings.tests.test_pages import form

pytestmark = pytest.mark.django_db

LINK = "https://meet.example/secret-room"

# (what the page posts, what the API sends, the field the API names)
BAD = {
    "in person without a venue": (
        {"format": "in_person", "online_link": ""},
        {"format": "in_person"},
        "venue",
    ),
    "a link that is not https": (
        {"online_link": "http://meet.example/room"},
        {"online_link": "http://meet.example/room"},
        "online_link",
    ),
    "short notice not agreed": ({}, {}, "starts_at"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_the_page_and_the_api_refuse_alike(personas, name):
    page_changes, api_changes, field = BAD[name]
    when = soon(2) if name == "short notice not agreed" else soon(14)
    case = dr_case(personas)
    body = {
        "starts_at": when.isoformat(),
        "minutes": 150,
        "format": "online",
        "online_link": LINK,
        "mediator": personas.mediator.username,
        **api_changes,
    }
    token = create_api_token(user=personas.coordinator)[1]
    api = Client().post(
        f"/api/v1/cases/{case.reference}/actions/arrange_meeting",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 400, api.content
    message = api.json()["error"]["fields"][field]

    page_client = Client()
    page_client.force_login(personas.coordinator)
    page = page_client.post(
        reverse("meetings:arrange", args=[case.reference]), form(personas, when, **page_changes)
    )
    assert page.status_code in (200, 400)
    assert message in html.unescape(page.content.decode()), (name, message)
    assert not case.meetings.exists()
    case.refresh_from_db()
    assert case.status == "consent_given"
