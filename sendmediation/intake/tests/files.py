"""Small real files of each kind, made in memory."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
TEXT = b"This is not a letter in any format we take.\n"


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = zip_with("[Content_Types].xml", "word/document.xml")
XLSX = zip_with("[Content_Types].xml", "xl/workbook.xml")
BROKEN_ZIP = b"PK\x03\x04" + b"\x00" * 40
TOO_BIG = PDF + b"0" * (10 * 1024 * 1024)
