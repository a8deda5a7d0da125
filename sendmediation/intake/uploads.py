"""The decision letter a family may upload: the kinds taken, the size, and the words used.

The checks themselves are the ones every upload passes (sendmediation/common/uploads.py).
"""

from __future__ import annotations

from typing import IO

from sendmediation.common.uploads import CheckedFile, FileKind, check_upload, sniff

MAX_LETTER_BYTES = 10 * 1024 * 1024

WRONG_TYPE_MESSAGE = "The selected file must be a PDF, JPG, PNG or DOCX"
TOO_BIG_MESSAGE = "The selected file must be smaller than 10MB"

# The kinds a letter may be; a case's documents take the same.
LetterType = FileKind
LETTER_TYPES = frozenset(FileKind)


def letter_content_type(stored_type: str) -> str:
    """The media type for a letter's stored kind ("pdf", "jpg"...), or a neutral one when unknown."""
    try:
        return FileKind(stored_type).content_type
    except ValueError:
        return "application/octet-stream"


def letter_type(file: IO[bytes]) -> FileKind | None:
    """The type of the file from its first bytes (and, for a DOCX, its parts); None if not allowed.

    The file is read from the start and left at the start.
    """
    kind = sniff(file)
    return kind if kind in LETTER_TYPES else None


def check_letter(file: IO[bytes]) -> CheckedFile:
    """The letter as it may be stored, or UploadRefused with the reason."""
    return check_upload(
        file,
        allowed=LETTER_TYPES,
        max_bytes=MAX_LETTER_BYTES,
        wrong_type=WRONG_TYPE_MESSAGE,
        too_big=TOO_BIG_MESSAGE,
    )
