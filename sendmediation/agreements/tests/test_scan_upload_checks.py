"""The scan of an agreement signed on paper passes the same checks as every upload, on the page and
through the API; a refused scan records no signature."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.tokens import create_api_token
from sendmediation.agreements import services
from sendmediation.agreements.models import Signature
from sendmediation.agreements.tests.helpers import held_case
from sendmediation.cases.errors import InvalidChange
from sendmediation.common import uploads
from sendmediation.common.tests import files
from sendmediation.common.tests.fake_clamd import running_clamd

pytestmark = pytest.mark.django_db

ITEMS = [{"what": "Carry out an EHC needs assessment", "who": "The local authority", "by": "2027-01-29"}]

REFUSED = [
    ("pdf javascript", files.HOSTILE_PDFS["javascript on opening"], "application/pdf", uploads.ACTIVE_PDF),
    ("pdf attached file", files.HOSTILE_PDFS["attached file"], "application/pdf", uploads.ACTIVE_PDF),
    ("pdf launch", files.HOSTILE_PDFS["launch action"], "application/pdf", uploads.ACTIVE_PDF),
    ("pdf password", files.ENCRYPTED_PDF, "application/pdf", uploads.LOCKED),
    ("word said to be a pdf", files.DOCX, "application/pdf", services.SCAN_CONTENT_REFUSED),
    ("text said to be a png", b"not a picture", "image/png", services.SCAN_CONTENT_REFUSED),
]
CASES = [r[1:] for r in REFUSED]
NAMES = [r[0] for r in REFUSED]


@pytest.fixture
def waiting(personas):
    case = held_case(personas)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreement = services.send_for_signature(actor=personas.mediator, case=case)
    return case, agreement.current_requests().first()


def _record(personas, waiting, content: bytes, content_type: str):
    case, request = waiting
    return services.record_wet_signature(
        actor=personas.mediator,
        case=case,
        signatory=request.pk,
        signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("scan.pdf", content, content_type=content_type),
    )


@pytest.mark.parametrize(
    ("content", "kind", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_the_service_refuses_a_hostile_scan(personas, waiting, content, kind, message):
    with pytest.raises(InvalidChange) as refused:
        _record(personas, waiting, content, kind)
    assert (refused.value.message, refused.value.field) == (message, "scan")
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("content", "kind", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_the_page_refuses_a_hostile_scan(personas, waiting, content, kind, message):
    case, request = waiting
    client = Client()
    client.force_login(personas.mediator)
    today = timezone.localdate()
    response = client.post(
        reverse("agreements:wet_signature", args=[case.reference]),
        {
            "signatory": request.pk,
            "signed_on-day": today.day,
            "signed_on-month": today.month,
            "signed_on-year": today.year,
            "scan": SimpleUploadedFile("scan.pdf", content, content_type=kind),
        },
    )
    assert message.split(".")[0] in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("content", "kind", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_the_api_refuses_a_hostile_scan(personas, waiting, content, kind, message):
    case, request = waiting
    _, token = create_api_token(user=personas.mediator)
    response = Client().post(
        f"/api/v1/cases/{case.reference}/actions/record_wet_signature",
        {
            "signatory": request.pk,
            "signed_on": timezone.localdate().isoformat(),
            "scan_base64": base64.b64encode(content).decode(),
            "scan_content_type": kind,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_change" and error["message"] == message
    assert "scan_base64" in error["fields"]
    assert not Signature.objects.exists()


def test_a_photo_of_the_signed_page_is_kept_re_encoded(personas, waiting):
    signature = _record(personas, waiting, files.JPEG_WITH_GPS, "image/jpeg")
    kept = signature.scan.read()
    assert kept[:3] == b"\xff\xd8\xff" and kept != files.JPEG_WITH_GPS
    assert signature.scan.name.endswith(".jpg")


def test_clamd_is_asked_about_the_scan(personas, waiting, settings):
    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        with pytest.raises(InvalidChange, match="contains a virus"):
            _record(personas, waiting, files.PDF + b"%" + files.EICAR, "application/pdf")
    assert not Signature.objects.exists()
