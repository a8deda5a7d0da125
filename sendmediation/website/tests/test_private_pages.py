"""A page or document made private to signed-in people asks staff for their authenticator code first."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

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


@pytest.fixture
def documents(settings, tmp_path):
    """One document in a collection for signed-in people only, and one in the public root."""
    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    document_model = get_document_model()
    root = Collection.get_first_root_node()
    staff_only = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=staff_only, restriction_type=CollectionViewRestriction.LOGIN
    )
    private = document_model.objects.create(
        title="Mediator guidance", collection=staff_only, file=ContentFile(b"for staff", name="guidance.txt")
    )
    public = document_model.objects.create(
        title="Leaflet text", collection=root, file=ContentFile(b"for everyone", name="leaflet.txt")
    )
    return private.url, public.url


def test_a_private_document_needs_the_code_as_well_as_the_password(personas, settings, documents):
    private, public = documents
    settings.STAFF_SECOND_FACTOR = True
    device = app_for(personas.coordinator)
    client = Client()
    assert client.get(private).status_code == 302  # not signed in: Wagtail's own sign-in
    assert client.get(public).status_code == 200
    sign_in(client, "cora")
    held = client.get(private)
    assert held.status_code == 302 and held["Location"].startswith(CODE_URL)
    assert client.get(public).status_code == 200  # a public document: no code asked for
    client.post(CODE_URL, {"code": fresh_code(device), "next": private})
    served = client.get(private)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"for staff"  # type: ignore[attr-defined]
