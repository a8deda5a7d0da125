"""Charity staff edit the website through Wagtail's groups: Editors draft, Moderators publish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _member(user, group: str) -> Client:
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_drafts_pages_and_only_reads_testimonials(personas):
    client = _member(personas.coordinator, "Editors")
    page = Page.objects.get(slug="mediation")
    assert client.get(f"/cms/pages/{page.pk}/edit/").status_code == 200
    assert personas.coordinator.has_perm("website.view_testimonial")
    assert not personas.coordinator.has_perm("website.change_testimonial")
    assert not personas.coordinator.has_perm("website.add_testimonial")


def test_a_moderator_may_look_after_testimonials(personas):
    _member(personas.adviser, "Moderators")
    adviser = type(personas.adviser).objects.get(pk=personas.adviser.pk)  # permissions are cached per object
    for codename in ("add_testimonial", "change_testimonial", "delete_testimonial"):
        assert adviser.has_perm(f"website.{codename}"), codename
