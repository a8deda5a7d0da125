"""The one check every upload passes: kinds from content, hostile PDFs and Word documents refused,
photos re-encoded without their metadata, and clamd asked when it is configured."""

import io
import logging

import pytest
from PIL import Image

from sendmediation.common import uploads
from sendmediation.common.tests import files
from sendmediation.common.tests.fake_clamd import running_clamd
from sendmediation.common.uploads import FileKind, UploadRefused, check_upload

ALL = frozenset(FileKind)


def _check(content: bytes, *, allowed: frozenset[FileKind] = ALL) -> uploads.CheckedFile:
    return check_upload(
        io.BytesIO(content), allowed=allowed, max_bytes=20_000_000, wrong_type="wrong", too_big="big"
    )


def _refusal(content: bytes, **options) -> tuple[str, str]:
    with pytest.raises(UploadRefused) as refused:
        _check(content, **options)
    return refused.value.code, refused.value.message


@pytest.mark.parametrize("name", sorted(files.HOSTILE_PDFS))
def test_a_pdf_that_could_run_something_is_refused(name):
    assert _refusal(files.HOSTILE_PDFS[name]) == ("pdf_active", uploads.ACTIVE_PDF)


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (files.ENCRYPTED_PDF, "pdf_password", uploads.LOCKED),
        (files.DAMAGED_PDF, "damaged", uploads.DAMAGED),
        (files.HOSTILE_DOCX["macros"], "macros", uploads.MACROS),
        (files.HOSTILE_DOCX["zip bomb"], "zip_bomb", uploads.TOO_MUCH_INSIDE),
        (files.HOSTILE_DOCX["zip inside"], "nested_zip", uploads.TOO_MUCH_INSIDE),
        (files.HOSTILE_DOCX["too many parts"], "zip_bomb", uploads.TOO_MUCH_INSIDE),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "damaged", uploads.DAMAGED),
        (files.DOCX_WITH_A_LOCKED_PART, "damaged", uploads.DAMAGED),
        (b"", "empty", uploads.EMPTY),
        (b"GIF89a" + b"\x00" * 20, "wrong_type", "wrong"),
        (files.XLSX, "wrong_type", "wrong"),
    ],
    ids=[
        "encrypted",
        "damaged",
        "macros",
        "zip-bomb",
        "zip-inside",
        "too-many-parts",
        "bad-png",
        "word-locked-part",
        "empty",
        "gif",
        "xlsx",
    ],
)
def test_each_bad_file_is_refused_with_its_own_words(content, code, message):
    assert _refusal(content) == (code, message)


def test_a_word_document_too_big_once_unpacked_is_refused(monkeypatch):
    # Ordinary text packs about ten times smaller, well within the ratio, so the total is what stops it.
    words = b"".join(f"<w:t>paragraph {n} of the letter</w:t>".encode() for n in range(40_000))
    document = files.zip_with("[Content_Types].xml", "word/document.xml", content=words)
    assert _check(document).kind is FileKind.DOCX
    monkeypatch.setattr(uploads, "DOCX_MAX_UNPACKED_BYTES", len(words))
    assert _refusal(document)[0] == "zip_bomb"


def test_a_macro_enabled_type_is_refused_even_without_the_macro_part():
    document = files.zip_with(
        "[Content_Types].xml",
        "word/document.xml",
        content=b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert _refusal(document)[0] == "macros"


def test_kinds_not_allowed_at_a_door_are_refused_there():
    assert (
        _refusal(files.DOCX, allowed=frozenset({FileKind.PDF, FileKind.JPEG, FileKind.PNG}))[0]
        == "wrong_type"
    )


def test_clean_files_are_kept_as_sent_and_photos_are_re_encoded():
    assert _check(files.PDF).content == files.PDF
    assert _check(files.PDF_OPENING_AT_PAGE_ONE).content == files.PDF_OPENING_AT_PAGE_ONE
    assert _check(files.DOCX).content == files.DOCX
    for content, kind in [(files.PNG, FileKind.PNG), (files.JPEG, FileKind.JPEG)]:
        checked = _check(content)
        assert checked.kind is kind and checked.content != content
        with Image.open(io.BytesIO(checked.content)) as picture:
            assert picture.format == kind.name and picture.size == (40, 30)


def test_a_photo_loses_where_it_was_taken():
    with Image.open(io.BytesIO(files.JPEG_WITH_GPS)) as sent:
        assert 0x8825 in sent.getexif()
    with Image.open(io.BytesIO(_check(files.JPEG_WITH_GPS).content)) as kept:
        assert dict(kept.getexif()) == {} and "exif" not in kept.info


def test_a_photo_is_kept_the_way_up_the_camera_said():
    picture = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter to the right
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(_check(out.getvalue()).content)) as kept:
        assert kept.size == (20, 40)


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 40 * 30 - 1)
    assert _refusal(files.PNG) == ("too_many_pixels", uploads.TOO_MANY_PIXELS)


def test_a_file_over_the_size_is_refused_before_anything_else():
    with pytest.raises(UploadRefused) as refused:
        check_upload(
            io.BytesIO(files.PDF), allowed=ALL, max_bytes=len(files.PDF) - 1, wrong_type="w", too_big="big"
        )
    assert refused.value.code == "too_big" and refused.value.message == "big"


def test_without_clamd_configured_nothing_is_scanned(settings):
    settings.CLAMD_SOCKET = ""
    assert _check(files.PDF + b"%" + files.EICAR).kind is FileKind.PDF


def test_clamd_receives_the_whole_file_in_chunks_and_a_clean_one_passes(settings):
    big = files.pdf(lambda document: setattr(document.Root, "Padding", "x" * 200_000))
    with running_clamd() as clamd:
        settings.CLAMD_SOCKET = clamd.path
        assert _check(big).content == big
    assert clamd.streams == [big]
    assert len(clamd.chunk_sizes) > 1 and max(clamd.chunk_sizes) <= uploads.CLAMD_CHUNK


def test_a_file_clamd_finds_a_virus_in_is_refused(settings, caplog):
    infected = files.PDF + b"%" + files.EICAR
    with running_clamd() as clamd, caplog.at_level(logging.WARNING):
        settings.CLAMD_SOCKET = clamd.path
        assert _refusal(infected) == ("virus", uploads.VIRUS)
    assert "Eicar-Test-Signature" in caplog.text


def test_when_clamd_cannot_be_reached_every_upload_is_refused_and_logged(settings, caplog, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    with caplog.at_level(logging.ERROR):
        assert _refusal(files.PDF) == ("scan_unavailable", uploads.SCAN_UNAVAILABLE)
    assert "clamd could not be asked" in caplog.text


def test_an_answer_other_than_ok_or_found_is_treated_as_no_answer(settings, caplog):
    with running_clamd(reply="INSTREAM size limit exceeded. ERROR") as clamd, caplog.at_level(logging.ERROR):
        settings.CLAMD_SOCKET = clamd.path
        assert _refusal(files.PDF) == ("scan_unavailable", uploads.SCAN_UNAVAILABLE)
    assert "size limit exceeded" in caplog.text
