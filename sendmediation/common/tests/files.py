"""Small real files of each kind the service takes, and hostile ones, made in memory for tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pikepdf
from PIL import Image

# A test file that antivirus programs agree to call a virus (it is harmless text).
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf(change: Callable[[pikepdf.Pdf], None] | None = None, **save: object) -> bytes:
    """A one-page PDF, changed first by ``change`` when given."""
    document = pikepdf.new()
    document.add_blank_page()
    if change is not None:
        change(document)
    out = io.BytesIO()
    # The same bytes each time, so that a test can compare what it made twice.
    options = save if "encryption" in save else {"deterministic_id": True, **save}
    document.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _javascript_on_opening(document: pikepdf.Pdf) -> None:
    document.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hello')")
    )


def _javascript_in_the_names(document: pikepdf.Pdf) -> None:
    script = document.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1")))
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
    )


def _launch_link(document: pikepdf.Pdf) -> None:
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([link]))


def _attached_file(document: pikepdf.Pdf) -> None:
    document.attachments["notes.exe"] = pikepdf.AttachedFileSpec(document, b"MZ not really a program")


def _page_actions(document: pikepdf.Pdf) -> None:
    document.pages[0].AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
    )


def _go_to_first_page(document: pikepdf.Pdf) -> None:
    document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])


PDF = pdf()
# An ordinary way to open at the first page: not an action that runs anything.
PDF_OPENING_AT_PAGE_ONE = pdf(_go_to_first_page)
HOSTILE_PDFS = {
    "javascript on opening": pdf(_javascript_on_opening),
    "javascript in the names": pdf(_javascript_in_the_names),
    "javascript in object streams": pdf(
        _javascript_on_opening, object_stream_mode=pikepdf.ObjectStreamMode.generate
    ),
    "launch action": pdf(_launch_link),
    "attached file": pdf(_attached_file),
    "page actions": pdf(_page_actions),
}
ENCRYPTED_PDF = pdf(encryption=pikepdf.Encryption(owner="owner", user="secret"))
DAMAGED_PDF = b"%PDF-1.4\nthis is not the rest of a PDF\n"


def image(kind: str, *, size: tuple[int, int] = (40, 30), gps: bool = False) -> bytes:
    """A small JPEG or PNG; with ``gps``, its metadata says where it was taken."""
    picture = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    picture.save(out, format=kind, exif=exif.tobytes())
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
JPEG_WITH_GPS = image("JPEG", gps=True)


def zip_with(*names: str, content: bytes = b"<xml/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, content)
    return buffer.getvalue()


_WORD = ("[Content_Types].xml", "word/document.xml")
DOCX = zip_with(*_WORD)
XLSX = zip_with("[Content_Types].xml", "xl/workbook.xml")
BROKEN_ZIP = b"PK\x03\x04" + b"\x00" * 40


def _docx_plus(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in _WORD:
            archive.writestr(part, "<xml/>")
        archive.writestr(name, content)
    return buffer.getvalue()


HOSTILE_DOCX = {
    "macros": _docx_plus("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros"),
    # 8 MB of zeros packs into about 8 KB: a thousand times smaller, as a zip bomb is.
    "zip bomb": _docx_plus("word/media/filler.xml", b"\0" * (8 * 1024 * 1024)),
    "zip inside": _docx_plus("word/embeddings/inside.docx", DOCX),
    "too many parts": zip_with(*_WORD, *(f"word/part{n}.xml" for n in range(1001))),
}


def pdf_saying(text: bytes) -> bytes:
    """A real one-page PDF whose bytes hold ``text`` as written, for tests that look for it."""

    def write(document: pikepdf.Pdf) -> None:
        document.pages[0].Contents = document.make_stream(b"% " + text.replace(b"\n", b" ") + b"\n")

    return pdf(write, compress_streams=False)


def _with_a_locked_part(document: bytes) -> bytes:
    # The zip's directory marks the last part as protected with a password.
    changed = bytearray(document)
    entry = changed.rfind(b"PK\x01\x02")
    changed[entry + 8] |= 0x1
    return bytes(changed)


DOCX_WITH_A_LOCKED_PART = _with_a_locked_part(DOCX)
