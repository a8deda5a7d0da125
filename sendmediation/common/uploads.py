"""Every uploaded file passes here before it is stored: the family's decision letter, a case's
documents and the scan of an agreement signed on paper (docs/decisions/0020-upload-checks.md).

The kind is judged from the content, never from the name or the browser's claim. A PDF that could
run something (a script, a launch action, an attached file, actions on opening) is refused, not
cleaned. A Word document is checked as a zip (size, ratio, number of parts, no zip inside, no
macros). A photo is re-encoded, which drops its metadata (such as where it was taken). When
CLAMD_SOCKET is set, clamd scans the file first, and a file is refused while clamd cannot be asked.
"""

from __future__ import annotations

import io
import logging
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

import pikepdf
from django.conf import settings
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)


class FileKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpg"
    PNG = "png"
    DOCX = "docx"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

EMPTY = "The selected file is empty"
LOCKED = "The selected file is protected with a password. Remove the password and upload it again"
DAMAGED = (
    "The selected file cannot be opened. It may be damaged: save or scan it again and upload the new copy"
)
ACTIVE_PDF = (
    "The selected PDF contains a script, an attached file or an action that opens something else, which "
    "we cannot accept. Print it to a new PDF, or take a photo of it, and upload that"
)
MACROS = (
    "The selected Word document contains macros, which we cannot accept. Save it as a plain .docx and "
    "upload that"
)
TOO_MUCH_INSIDE = (
    "The selected Word document holds too much once unpacked, or another file packed inside it. "
    "Save it as a PDF and upload that"
)
TOO_MANY_PIXELS = "The selected picture is too large. Make it smaller (fewer pixels) and upload it again"
VIRUS = "The selected file contains a virus. We have not kept it"
SCAN_UNAVAILABLE = "We cannot check files for viruses at the moment. Try again later"

# A Word document's limits once unpacked; an ordinary letter is well inside each.
DOCX_MAX_PARTS = 1000
DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100
# Pillow's own warning starts at about 89 million pixels; a 48-megapixel phone photo is under this.
MAX_IMAGE_PIXELS = 60_000_000

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"


class UploadRefused(Exception):
    """The file is not stored; ``message`` says why in words for the person who chose it."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    """What to store: the kind found, and the bytes (re-encoded for a photo, as sent otherwise)."""

    kind: FileKind
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(file: IO[bytes]) -> FileKind | None:
    """The kind of file from its first bytes (and, for a zip, whether it is a Word document); None if
    it is none of the kinds taken. The file is read from the start and left at the start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(_PDF):
            return FileKind.PDF
        if head.startswith(_PNG):
            return FileKind.PNG
        if head.startswith(_JPEG):
            return FileKind.JPEG
        if head.startswith(_ZIP) and _is_word_document(file):
            return FileKind.DOCX
        return None
    finally:
        file.seek(0)


def _is_word_document(file: IO[bytes]) -> bool:
    # Only the zip's directory is read here; nothing is unpacked.
    try:
        with zipfile.ZipFile(file) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def check_upload(
    file: IO[bytes],
    *,
    allowed: frozenset[FileKind],
    max_bytes: int,
    wrong_type: str,
    too_big: str,
) -> CheckedFile:
    """The file as it may be stored, or UploadRefused with the reason. Cheap checks come first."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise UploadRefused(EMPTY, code="empty")
    if size > max_bytes:
        raise UploadRefused(too_big, code="too_big")
    kind = sniff(file)
    if kind is None or kind not in allowed:
        raise UploadRefused(wrong_type, code="wrong_type")
    content = file.read()
    file.seek(0)
    scan_for_viruses(content)
    if kind is FileKind.PDF:
        _check_pdf(content)
        return CheckedFile(kind, content)
    if kind is FileKind.DOCX:
        _check_docx(content)
        return CheckedFile(kind, content)
    return CheckedFile(kind, _reencode_image(content, kind))


NOT_A_PDF = "The selected file is not a PDF, although its name ends in .pdf. Save it as a PDF and upload that"
NOT_A_WORD_DOCUMENT = (
    "The selected file is not a Word document, although its name ends in .docx. Save it as a .docx and "
    "upload that"
)


def check_published_file(file: IO[bytes], name: str) -> None:
    """A file editors publish on the website (a leaflet, a guide, a captioned video): scanned for
    viruses when clamd is set, and a PDF or Word document checked as the family's letters are. Other
    kinds the website takes (video, captions, spreadsheets, text) are scanned only. Raises
    UploadRefused with the reason."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    if not content:
        raise UploadRefused(EMPTY, code="empty")
    scan_for_viruses(content)
    kind = sniff(file)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "pdf" and kind is not FileKind.PDF:
        raise UploadRefused(NOT_A_PDF, code="wrong_type")
    if suffix == "docx" and kind is not FileKind.DOCX:
        raise UploadRefused(NOT_A_WORD_DOCUMENT, code="wrong_type")
    if kind is FileKind.PDF:
        _check_pdf(content)
    elif kind is FileKind.DOCX:
        _check_docx(content)


def check_published_picture(file: IO[bytes]) -> CheckedFile | None:
    """A picture editors publish on the website: scanned for viruses when clamd is set, and a photo
    (JPEG or PNG) saved again without its metadata, such as where it was taken. Returns what to keep
    instead, or None to keep the file as it is (other kinds the CMS takes are scanned only). Raises
    UploadRefused with the reason."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    if not content:
        raise UploadRefused(EMPTY, code="empty")
    scan_for_viruses(content)
    kind = sniff(file)
    if kind is FileKind.JPEG or kind is FileKind.PNG:
        return CheckedFile(kind, _reencode_image(content, kind))
    return None


# PDF

# Keys whose presence anywhere means the file carries something that runs or is carried along.
_ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/AA"})
# Kinds of action (the /S of an action dictionary) that run or open something.
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/Rendition"})


def _check_pdf(content: bytes) -> None:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.attachments:
                raise UploadRefused(ACTIVE_PDF, code="pdf_active")
            for item in pdf.objects:
                if _is_active(item):
                    raise UploadRefused(ACTIVE_PDF, code="pdf_active")
            if _is_active(pdf.trailer) or _is_active(pdf.Root):
                raise UploadRefused(ACTIVE_PDF, code="pdf_active")
    except UploadRefused:
        raise
    except pikepdf.PasswordError:
        raise UploadRefused(LOCKED, code="pdf_password") from None
    except Exception:  # qpdf's own errors, and any other a damaged file causes
        raise UploadRefused(DAMAGED, code="damaged") from None


def _is_active(item: object, depth: int = 0) -> bool:
    """Whether this object, or a dictionary written directly inside it, runs or carries something.
    Objects written elsewhere in the file (indirect ones) are each looked at by the caller."""
    if depth > 50:
        return True
    if isinstance(item, pikepdf.Stream):
        item = item.stream_dict
    if isinstance(item, pikepdf.Array):
        return any(_is_active(value, depth + 1) for value in item if _written_here(value))
    if not isinstance(item, pikepdf.Dictionary):
        return False
    keys = set(item.keys())
    if keys & _ACTIVE_KEYS:
        return True
    if str(item.get("/S", "")) in _ACTIVE_ACTIONS:
        return True
    if "/OpenAction" in keys and _is_script_action(item["/OpenAction"]):
        return True
    return any(_is_active(item[key], depth + 1) for key in keys if _written_here(item[key]))


def _written_here(value: object) -> bool:
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect


def _is_script_action(action: object) -> bool:
    # An /OpenAction is either a destination (an array: harmless) or an action dictionary.
    return isinstance(action, pikepdf.Dictionary) and (
        str(action.get("/S", "")) in _ACTIVE_ACTIONS or "/JS" in action
    )


# Word


def _check_docx(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > DOCX_MAX_PARTS:
                raise UploadRefused(TOO_MUCH_INSIDE, code="zip_bomb")
            for member in members:
                name = member.filename.lower()
                if name.endswith("vbaproject.bin") or name.endswith("vbadata.xml"):
                    raise UploadRefused(MACROS, code="macros")
            unpacked = 0
            for member in members:
                if member.is_dir():
                    continue
                # Sizes in the zip's directory may lie, so the bytes are counted as they unpack.
                member_bytes = 0
                with archive.open(member) as part:
                    head = part.read(4)
                    if head == _ZIP:
                        raise UploadRefused(TOO_MUCH_INSIDE, code="nested_zip")
                    member_bytes = len(head)
                    while chunk := part.read(64 * 1024):
                        member_bytes += len(chunk)
                        if unpacked + member_bytes > DOCX_MAX_UNPACKED_BYTES:
                            raise UploadRefused(TOO_MUCH_INSIDE, code="zip_bomb")
                unpacked += member_bytes
                packed = max(member.compress_size, 1)
                if member_bytes > 1024 * 1024 and member_bytes / packed > DOCX_MAX_RATIO:
                    raise UploadRefused(TOO_MUCH_INSIDE, code="zip_bomb")
            names = archive.namelist()
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if b"macroEnabled" in types:
                raise UploadRefused(MACROS, code="macros")
    except UploadRefused:
        raise
    # RuntimeError: a part with a password; zlib.error: a damaged part.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
        RuntimeError,
        zlib.error,
        struct.error,
    ):
        raise UploadRefused(DAMAGED, code="damaged") from None


# Photos


def _reencode_image(content: bytes, kind: FileKind) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRefused(TOO_MANY_PIXELS, code="too_many_pixels")
            image.load()
            # Turned the way the camera said, since the note that said so is dropped with the rest.
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind is FileKind.JPEG:
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                upright.save(out, format="JPEG", quality=90)
            else:
                upright.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise UploadRefused(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except Exception:  # Pillow's readers fail in many ways on a damaged file
        raise UploadRefused(DAMAGED, code="damaged") from None


# Viruses: clamd's INSTREAM over its Unix socket (see clamd's own manual page).

CLAMD_CHUNK = 64 * 1024


def scan_for_viruses(content: bytes) -> None:
    """Ask clamd when CLAMD_SOCKET is set: refuse what it finds, and refuse everything while it
    cannot be asked (the file is not stored unscanned)."""
    path = getattr(settings, "CLAMD_SOCKET", "")
    if not path:
        return
    try:
        reply = clamd_instream(path, content, timeout=float(getattr(settings, "CLAMD_TIMEOUT", 30)))
    except OSError as error:
        logger.error("Upload refused: clamd could not be asked (%s)", type(error).__name__)
        raise UploadRefused(SCAN_UNAVAILABLE, code="scan_unavailable") from None
    if reply == "stream: OK":
        return
    if reply.endswith(" FOUND"):
        found = reply.removeprefix("stream: ").removesuffix(" FOUND")
        logger.warning("Upload refused: clamd found %s", found)
        raise UploadRefused(VIRUS, code="virus")
    logger.error("Upload refused: clamd answered %r", reply[:200])
    raise UploadRefused(SCAN_UNAVAILABLE, code="scan_unavailable")


def clamd_instream(path: str, content: bytes, *, timeout: float) -> str:
    """Send the bytes to clamd in length-prefixed chunks and return its one-line answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(path)
        connection.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), CLAMD_CHUNK):
            chunk = content[start : start + CLAMD_CHUNK]
            connection.sendall(struct.pack(">I", len(chunk)) + chunk)
        connection.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = connection.recv(4096)
            if not data:
                break
            reply += data
    if not reply:
        raise ConnectionError("clamd closed the connection without an answer")
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
