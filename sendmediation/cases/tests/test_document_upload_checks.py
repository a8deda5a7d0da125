"""Staff documents on a case pass the same checks as a family's letter: the same kinds, hostile
files refused with their own words, photos re-encoded, clamd asked when set. Nothing refused is kept."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from sendmediation.cases import services
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import CaseEvent, Document
from sendmediation.cases.tests.builders import open_case
from sendmediation.common import uploads
from sendmediation.common.tests import files
from sendmediation.common.tests.fake_clamd import running_clamd

pytestmark = pytest.mark.django_db

REFUSED = [
    *((f"pdf {name}", content, uploads.ACTIVE_PDF) for name, content in files.HOSTILE_PDFS.items()),
    ("pdf with a password", files.ENCRYPTED_PDF, uploads.LOCKED),
    ("word with macros", files.HOSTILE_DOCX["macros"], uploads.MACROS),
    ("word zip bomb", files.HOSTILE_DOCX["zip bomb"], uploads.TOO_MUCH_INSIDE),
    ("word with a zip inside", files.HOSTILE_DOCX["zip inside"], uploads.TOO_MUCH_INSIDE),
    ("spreadsheet", files.XLSX, services.DOCUMENT_WRONG_TYPE),
    ("text", b"Minutes of the meeting\n", services.DOCUMENT_WRONG_TYPE),
]


def _add(personas, case, content: bytes, name: str = "upload.pdf", content_type: str = "application/pdf"):
    return services.add_document(
        actor=personas.coordinator,
        case=case,
        upload=SimpleUploadedFile(name, content, content_type=content_type),
        name="Evidence",
        kind="evidence",
    )


@pytest.mark.parametrize(("content", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_the_service_refuses_a_hostile_or_unknown_file(personas, content, message):
    case = open_case(personas)
    with pytest.raises(InvalidChange) as refused:
        _add(personas, case, content)
    assert (refused.value.message, refused.value.field) == (message, "file")
    assert not Document.objects.exists()
    assert not case.events.filter(kind=CaseEvent.Kind.DOCUMENT_ADDED).exists()


@pytest.mark.parametrize(("content", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_the_upload_page_shows_why_a_file_is_refused(personas, content, message):
    case = open_case(personas)
    client = Client()
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("cases:case_action", args=[case.reference, "add_document"]),
        {"file": SimpleUploadedFile("upload.pdf", content), "name": "Report", "kind": "evidence"},
        follow=True,
    )
    page = response.content.decode()
    assert message.split(".")[0].replace("'", "&#x27;") in page
    assert "govuk-error-summary" in page
    assert not Document.objects.exists()


def test_the_kind_stored_is_what_the_content_shows_not_what_the_browser_said(personas):
    document = _add(personas, open_case(personas), files.DOCX, "notes.pdf", "application/pdf")
    assert document.content_type == uploads.FileKind.DOCX.content_type


def test_a_photo_is_stored_re_encoded_and_its_hash_is_of_what_is_kept(personas):
    document = _add(personas, open_case(personas), files.JPEG_WITH_GPS, "photo.jpg", "image/jpeg")
    kept = document.file.read()
    assert kept != files.JPEG_WITH_GPS and document.size == len(kept)
    with Image.open(io.BytesIO(kept)) as picture:
        assert dict(picture.getexif()) == {}
    assert document.sha256 == hashlib.sha256(kept).hexdigest()


def test_clamd_is_asked_about_staff_documents_too(personas, settings, tmp_path):
    case = open_case(personas)
    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        with pytest.raises(InvalidChange, match="contains a virus"):
            _add(personas, case, files.PDF + b"%" + files.EICAR)
        assert _add(personas, case, files.PDF).size == len(files.PDF)
    assert len(clamd.streams) == 2
    settings.CLAMD_SOCKET = str(tmp_path / "gone.sock")
    with pytest.raises(InvalidChange, match="Try again later"):
        _add(personas, case, files.PDF)
    assert Document.objects.count() == 1
