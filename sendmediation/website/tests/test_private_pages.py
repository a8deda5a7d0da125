"""A page made private to signed-in people asks staff for their authenticator code first."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from sendmediation.accounts.tests.test_second_factor import CODE_URL, app_for, fresh_code, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


@pytest.fixture
def private_page() -> str:
    page = Page.objects.get(slug="mediation")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page.url


def test_a_private_page_needs_the_code_as_well_as_the_password(personas, settings, private_page):
    settings.STAFF_SECOND_FACTOR = True
    device = app_for(personas.coordinator)
    client = Client()
    assert client.get(private_page).status_code == 302  # not signed in: Wagtail's own sign-in
    sign_in(client, "cora")
    held = client.get(private_page)
    assert held.status_code == 302 and held["Location"].startswith(CODE_URL)
    assert "next=" in held["Location"]
    client.post(CODE_URL, {"code": fresh_code(device), "next": private_page})
    assert client.get(private_page).status_code == 200


def test_public_pages_and_the_setting_off_are_untouched(personas, settings, private_page):
    client = Client()
    client.force_login(personas.coordinator)
    settings.STAFF_SECOND_FACTOR = False
    assert client.get(private_page).status_code == 200
    settings.STAFF_SECOND_FACTOR = True
    assert client.get("/").status_code == 200  # a public page: no code asked for
