"""What kind of file a decision letter is, judged from its content, never from its name."""

from __future__ import annotations

import zipfile
from enum import StrEnum
from typing import IO

MAX_LETTER_BYTES = 10 * 1024 * 1024

WRONG_TYPE_MESSAGE = "The selected file must be a PDF, JPG, PNG or DOCX"
TOO_BIG_MESSAGE = "The selected file must be smaller than 10MB"
EMPTY_MESSAGE = "The selected file is empty"


class LetterType(StrEnum):
    PDF = "pdf"
    JPEG = "jpg"
    PNG = "png"
    DOCX = "docx"

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]


_CONTENT_TYPES = {
    LetterType.PDF: "application/pdf",
    LetterType.JPEG: "image/jpeg",
    LetterType.PNG: "image/png",
    LetterType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def letter_content_type(stored_type: str) -> str:
    """The media type for a letter's stored kind ("pdf", "jpg"...), or a neutral one when unknown."""
    try:
        return LetterType(stored_type).content_type
    except ValueError:
        return "application/octet-stream"


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"


def letter_type(file: IO[bytes]) -> LetterType | None:
    """The type of the file from its first bytes (and, for a DOCX, its parts); None if not allowed.

    The file is read from the start and left at the start.
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(_PDF):
            return LetterType.PDF
        if head.startswith(_PNG):
            return LetterType.PNG
        if head.startswith(_JPEG):
            return LetterType.JPEG
        if head.startswith(_ZIP) and _is_word_document(file):
            return LetterType.DOCX
        return None
    finally:
        file.seek(0)


def _is_word_document(file: IO[bytes]) -> bool:
    # Only the zip's directory is read; nothing is unpacked.
    try:
        with zipfile.ZipFile(file) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
