import re

import pytest
from django.test import Client
from wagtail.models import Page

from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _script_src(response) -> str:
    match = re.search(r"script-src ([^;]+)", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_cms_sends_strangers_to_the_staff_sign_in_page(client):
    assert client.get("/cms/pages/")["Location"] == "/sign-in/?next=/cms/pages/"
    # Wagtail's own sign-in page is not offered: staff sign in where the lock-out applies.
    assert client.get("/cms/login/?next=/cms/pages/")["Location"] == "/sign-in/?next=/cms/pages/"


def test_staff_sign_in_and_land_in_the_cms(client, personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    response = client.post("/sign-in/?next=/cms/", {"username": "max", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_staff_without_cms_access_are_told_so_without_a_redirect_loop(personas):
    client = _signed_in(personas.coordinator)
    response = client.get("/cms/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/cms/login/?next=/cms/", 302)]
    assert "You cannot edit the website" in response.content.decode()


def test_the_cms_may_run_inline_scripts_and_only_the_cms(personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    client = _signed_in(personas.manager)
    home = Page.objects.get(depth=2)
    cms = client.get(f"/cms/pages/{home.pk}/edit/")
    assert cms.status_code == 200
    assert _script_src(cms) == "'self' 'unsafe-inline'"
    assert "frame-ancestors 'none'" in cms["Content-Security-Policy"]
    for path in ("/", "/mediation/", "/sign-in/", "/staff/", "/django-admin/"):
        assert re.fullmatch(r"'self' 'nonce-[^' ]+'", _script_src(client.get(path))), path


def test_the_preview_panel_may_be_framed_by_the_cms_only(personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    client = _signed_in(personas.manager)
    mediation = Page.objects.get(slug="mediation")
    preview = client.get(f"/cms/pages/{mediation.pk}/edit/preview/?in_preview_panel=true")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/mediation/")["Content-Security-Policy"]


def test_a_draft_shown_in_the_cms_carries_the_cms_policy_not_the_pages(personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    client = _signed_in(personas.manager)
    mediation = Page.objects.get(slug="mediation").specific
    mediation.title = "Mediation, redrafted"
    mediation.save_revision()
    draft = client.get(f"/cms/pages/{mediation.pk}/view_draft/")
    assert draft.status_code == 200
    assert "Mediation, redrafted" in draft.content.decode()
    assert _script_src(draft) == "'self' 'unsafe-inline'"


def test_the_cms_lists_testimonials_with_their_consent(personas):
    personas.manager.is_superuser = True
    personas.manager.save()
    html = _signed_in(personas.manager).get("/cms/snippets/website/testimonial/").content.decode()
    assert "Parent, Lancashire" in html, "staff see testimonials without consent, to record it"
    assert "Parent, Hampshire" in html
