import io

import pytest

from sendmediation.intake.tests import files
from sendmediation.intake.uploads import LetterType, letter_type


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (files.PDF, LetterType.PDF),
        (files.PNG, LetterType.PNG),
        (files.JPEG, LetterType.JPEG),
        (files.DOCX, LetterType.DOCX),
        (files.XLSX, None),
        (files.BROKEN_ZIP, None),
        (files.TEXT, None),
        (b"", None),
        (b"%PD", None),
        (b"GIF89a" + b"\x00" * 20, None),
    ],
)
def test_the_type_comes_from_the_content(content, expected):
    file = io.BytesIO(content)
    file.seek(5 if len(content) > 5 else 0)
    assert letter_type(file) == expected
    assert file.tell() == 0


def test_each_type_has_its_content_type():
    assert LetterType.DOCX.content_type.endswith("wordprocessingml.document")
    assert {kind.content_type for kind in LetterType} >= {"application/pdf", "image/png", "image/jpeg"}
