"""Documents editors publish through the CMS pass the same upload check as the family's letters:
the one-at-a-time form and the multiple uploader alike."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection

from sendmediation.common import uploads
from sendmediation.common.tests import files
from sendmediation.common.tests.fake_clamd import running_clamd

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


@pytest.fixture
def editor(personas) -> Client:
    personas.manager.is_superuser = True
    personas.manager.save()
    client = Client()
    client.force_login(personas.manager)
    return client


def _add(editor: Client, name: str, content: bytes):
    return editor.post(
        "/cms/documents/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )


def _add_several(editor: Client, name: str, content: bytes):
    return editor.post(
        "/cms/documents/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def test_a_plain_pdf_and_a_word_document_are_published(editor):
    assert _add(editor, "leaflet.pdf", files.PDF).status_code == 302
    assert _add(editor, "guide.docx", files.DOCX).status_code == 302
    assert _add(editor, "captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n").status_code == 302
    published = set(Document.objects.values_list("title", flat=True))
    assert published == {"leaflet.pdf", "guide.docx", "captions.vtt"}


@pytest.mark.parametrize("name", sorted(files.HOSTILE_PDFS))
def test_a_pdf_with_active_content_is_refused_in_words(editor, name):
    response = _add(editor, f"{name}.pdf", files.HOSTILE_PDFS[name])
    assert response.status_code == 200
    assert uploads.ACTIVE_PDF in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", sorted(files.HOSTILE_DOCX))
def test_a_word_document_with_macros_or_too_much_inside_is_refused(editor, name):
    response = _add(editor, "guide.docx", files.HOSTILE_DOCX[name])
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_a_file_named_pdf_that_is_not_one_is_refused(editor):
    response = _add(editor, "leaflet.pdf", b"<html><script>alert(1)</script></html>")
    assert uploads.NOT_A_PDF in response.content.decode()
    assert not Document.objects.exists()


def test_the_multiple_uploader_refuses_the_same_files(editor):
    refused = _add_several(editor, "leaflet.pdf", files.HOSTILE_PDFS["javascript on opening"])
    assert refused.json()["success"] is False
    assert uploads.ACTIVE_PDF in str(refused.json())
    assert not Document.objects.exists()
    taken = _add_several(editor, "leaflet.pdf", files.PDF)
    assert taken.json()["success"] is True
    assert Document.objects.count() == 1


def test_every_published_file_is_scanned_when_clamd_is_set(editor, settings):
    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        response = _add(editor, "captions.vtt", b"WEBVTT\n" + files.EICAR)
        assert uploads.VIRUS in response.content.decode()
        assert _add(editor, "captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n").status_code == 302
    assert Document.objects.count() == 1


# Pictures


def _add_picture(editor: Client, name: str, content: bytes):
    return editor.post(
        "/cms/images/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )


def test_a_photo_is_published_without_where_it_was_taken(editor):
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    assert b"Phone maker" in files.JPEG_WITH_GPS
    assert _add_picture(editor, "family.jpg", files.JPEG_WITH_GPS).status_code == 302
    kept = Image.objects.get()
    with kept.open_file() as stored:
        content = stored.read()
    assert b"Phone maker" not in content
    with PillowImage.open(io.BytesIO(content)) as picture:
        assert picture.size == (40, 30) and not picture.getexif()
    assert (kept.width, kept.height) == (40, 30)


def test_a_picture_with_a_virus_is_refused_when_clamd_is_set(editor, settings):
    from wagtail.images.models import Image

    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        response = _add_picture(editor, "family.png", files.PNG + files.EICAR)
        assert uploads.VIRUS in response.content.decode()
        assert _add_picture(editor, "family.png", files.PNG).status_code == 302
    assert Image.objects.count() == 1
