"""The decision letter on the public journey: hostile files refused with their own words, and no one
address (nor everyone together) can fill the disk with letters. Nothing refused is stored."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from sendmediation.common import uploads
from sendmediation.common.tests import files
from sendmediation.common.tests.fake_clamd import running_clamd
from sendmediation.intake import services
from sendmediation.intake.models import RequestDraft
from sendmediation.intake.tests.journey import answer_all, parent_mediation

pytestmark = pytest.mark.django_db

HOME = "192.0.2.10"


def _at_the_letter(address: str = HOME) -> Client:
    client = Client(REMOTE_ADDR=address)
    answer_all(client, parent_mediation()[:4])
    return client


def _upload(client: Client, content: bytes, name: str = "letter.pdf", *, follow: bool = True) -> str:
    response = client.post("/request/letter/", {"letter": SimpleUploadedFile(name, content)})
    assert response.status_code in (302, 303)
    return client.get(response["Location"]).content.decode() if follow else response["Location"]


def _error(html: str) -> str:
    """The message beside the upload field, as the page shows it."""
    found = re.search(r'<p id="[^"]*letter-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    assert found, "no error beside the field"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).replace("Error:", "").strip()


def _stored(private_media) -> list[Path]:
    folder = Path(private_media) / "intake" / "letters"
    return sorted(folder.iterdir()) if folder.exists() else []


HOSTILE = [
    *((f"pdf {name}", content, uploads.ACTIVE_PDF) for name, content in files.HOSTILE_PDFS.items()),
    ("pdf with a password", files.ENCRYPTED_PDF, uploads.LOCKED),
    ("damaged pdf", files.DAMAGED_PDF, uploads.DAMAGED),
    ("word with macros", files.HOSTILE_DOCX["macros"], uploads.MACROS),
    ("word zip bomb", files.HOSTILE_DOCX["zip bomb"], uploads.TOO_MUCH_INSIDE),
    ("word with a zip inside", files.HOSTILE_DOCX["zip inside"], uploads.TOO_MUCH_INSIDE),
    ("word with too many parts", files.HOSTILE_DOCX["too many parts"], uploads.TOO_MUCH_INSIDE),
]


@pytest.mark.parametrize(("content", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_letter_is_refused_on_the_page_and_not_kept(private_media, content, message):
    client = _at_the_letter()
    html = _upload(client, content)
    assert _error(html) == message
    assert "<title>Error: " in html and html.count(message.split(".")[0]) == 2  # summary and field
    assert not RequestDraft.objects.get().decision_letter
    assert _stored(private_media) == []


def test_a_plain_pdf_that_opens_at_its_first_page_is_taken(private_media):
    client = _at_the_letter()
    assert _upload(client, files.PDF_OPENING_AT_PAGE_ONE, follow=False) == "/request/letter/"
    draft = RequestDraft.objects.get()
    assert draft.decision_letter_type == "pdf"
    assert (Path(private_media) / draft.decision_letter.name).read_bytes() == files.PDF_OPENING_AT_PAGE_ONE


def test_a_photo_of_the_letter_is_kept_without_where_it_was_taken(private_media):
    client = _at_the_letter()
    _upload(client, files.JPEG_WITH_GPS, "photo.jpg")
    draft = RequestDraft.objects.get()
    with Image.open(Path(private_media) / draft.decision_letter.name) as kept:
        assert kept.format == "JPEG" and dict(kept.getexif()) == {}
    assert draft.decision_letter_size == (Path(private_media) / draft.decision_letter.name).stat().st_size


def test_one_address_may_upload_letters_to_only_so_many_requests_a_day(settings, private_media):
    settings.INTAKE_LETTERS_PER_ADDRESS_PER_DAY = 2
    for _ in range(2):
        assert _upload(_at_the_letter(), files.PDF, follow=False) == "/request/letter/"
    assert len(_stored(private_media)) == 2

    third = _at_the_letter()
    html = _upload(third, files.PDF)
    assert _error(html) == services.LETTERS_PER_DAY_MESSAGE
    assert "<title>Error: " in html
    assert re.search(r'<a href="#[^"]*letter">You cannot upload any more letters', html)
    assert len(_stored(private_media)) == 2
    assert RequestDraft.objects.exclude(decision_letter="").count() == 2
    # The family can still go on without the letter.
    assert third.post("/request/letter/", {})["Location"] == "/request/child/"

    # Replacing the letter on a request that has one is not another request's letter.
    first = RequestDraft.objects.exclude(decision_letter="").order_by("pk")[0]
    owner = Client(REMOTE_ADDR=HOME)
    session = owner.session
    session["intake_draft"] = first.token
    session.save()
    assert _upload(owner, files.DOCX, "letter.docx", follow=False) == "/request/letter/"

    # Another address is not affected, and a day later this one may upload again.
    assert _upload(_at_the_letter("198.51.100.4"), files.PDF, follow=False) == "/request/letter/"
    RequestDraft.objects.update(letter_uploaded_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert _upload(third, files.PDF, follow=False) == "/request/letter/"


def test_the_address_is_kept_only_as_a_keyed_hash(settings, private_media):
    _upload(_at_the_letter(), files.PDF)
    draft = RequestDraft.objects.get()
    assert draft.letter_address_hash == services.letter_address_hash(HOME)
    assert HOME not in draft.letter_address_hash and len(draft.letter_address_hash) == 64
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert services.letter_address_hash(HOME) != draft.letter_address_hash


def test_behind_a_proxy_each_family_is_counted_by_its_own_address(settings, private_media):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.INTAKE_LETTERS_PER_ADDRESS_PER_DAY = 1
    for family in ("203.0.113.1", "203.0.113.2"):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=family)
        answer_all(client, parent_mediation()[:4])
        assert _upload(client, files.PDF, follow=False) == "/request/letter/"
    assert len(_stored(private_media)) == 2


def test_when_letters_in_unsent_requests_fill_the_budget_no_more_are_taken(settings, private_media):
    settings.INTAKE_LETTER_BUDGET_BYTES = 2 * len(files.PDF) + 10
    _upload(_at_the_letter("198.51.100.1"), files.PDF)
    _upload(_at_the_letter("198.51.100.2"), files.PDF)
    late = _at_the_letter("198.51.100.3")
    html = _upload(late, files.PDF)
    assert _error(html) == services.LETTERS_BUDGET_MESSAGE
    assert len(_stored(private_media)) == 2
    assert late.post("/request/letter/", {})["Location"] == "/request/child/"

    # A sent request's letter no longer counts against the budget of unsent ones.
    RequestDraft.objects.filter(decision_letter__isnull=False).exclude(decision_letter="").update(
        submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    assert _upload(late, files.PDF, follow=False) == "/request/letter/"


def test_a_letter_clamd_finds_a_virus_in_is_refused(settings, private_media):
    client = _at_the_letter()
    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        assert _error(_upload(client, files.PDF + b"%" + files.EICAR)) == uploads.VIRUS
        assert _upload(client, files.PDF, follow=False) == "/request/letter/"
    assert clamd.streams == [files.PDF + b"%" + files.EICAR, files.PDF]
    assert len(_stored(private_media)) == 1


def test_while_clamd_is_down_letters_are_refused_with_try_again_later(settings, private_media, tmp_path):
    client = _at_the_letter()
    settings.CLAMD_SOCKET = str(tmp_path / "clamd.sock")
    assert _error(_upload(client, files.PDF)) == uploads.SCAN_UNAVAILABLE
    assert _stored(private_media) == []


def test_the_service_applies_the_same_checks_whoever_calls_it(private_media):
    draft = services.start_draft()
    with pytest.raises(uploads.UploadRefused) as refused:
        services.attach_decision_letter(
            draft=draft,
            upload=SimpleUploadedFile("x.pdf", files.HOSTILE_PDFS["launch action"]),
            client_address=HOME,
        )
    assert refused.value.code == "pdf_active"
    draft.refresh_from_db()
    assert not draft.decision_letter and draft.letter_uploaded_at is None
    services.attach_decision_letter(
        draft=draft, upload=SimpleUploadedFile("x.pdf", files.PDF), client_address=HOME
    )
    assert RequestDraft.objects.get().decision_letter_type == "pdf"
