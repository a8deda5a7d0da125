"""No browser or proxy keeps a copy of a staff page or an API answer: Cache-Control: no-store on each."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sendmediation.accounts.tokens import create_api_token
from sendmediation.api.api import api
from sendmediation.cases.tests import test_permissions
from sendmediation.cases.tests.test_permissions import _action_bodies, _page_expectations

pytestmark = pytest.mark.django_db

world = test_permissions.world  # the permission matrix's case, certificate, document and people

OTHER_STAFF_PAGES = [
    "/staff/",
    "/staff/notifications/",
    "/staff/notifications/previews/",
    "/django-admin/",
    "/cms/",
    "/sign-in/",
]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["manager", "la_officer", "anonymous"])
def test_every_staff_page_is_not_stored(world, who):
    user = world["people"][who]
    client = Client()
    if user is not None:
        client.force_login(user)
    stored = []
    urls = [url for _, _, url, _, _ in _page_expectations(world)] + OTHER_STAFF_PAGES
    for url in urls:
        response = client.get(url)
        if not _no_store(response):
            stored.append(f"{url} ({response.status_code}): {response.get('Cache-Control')!r}")
    assert not stored, "\n".join(stored)


def _api_calls(world, personas):
    ref = world["case"].reference
    bodies = _action_bodies(world, personas)
    for path, methods in api.get_openapi_schema()["paths"].items():
        url = path.replace("{reference}", ref)
        for method in methods:
            action = path.rsplit("/", 1)[-1]
            yield method, url, bodies.get(action, {})


@pytest.mark.parametrize("with_token", [True, False])
def test_every_api_answer_is_not_stored(world, personas, with_token):
    headers: dict[str, Any] = {}
    if with_token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_api_token(user=personas.manager)[1]}"
    client = Client()
    stored = []
    calls = list(_api_calls(world, personas))
    assert len(calls) > 20
    for method, url, body in [*calls, ("get", "/api/v1/openapi.json", {})]:
        if method == "get":
            response = client.get(url, **headers)
        else:
            response = getattr(client, method)(url, body, content_type="application/json", **headers)
        if not _no_store(response):
            stored.append(
                f"{method.upper()} {url} ({response.status_code}): {response.get('Cache-Control')!r}"
            )
    assert not stored, "\n".join(stored)
