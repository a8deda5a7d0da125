"""Small real files of each kind, made in memory."""

from sendmediation.common.tests.files import BROKEN_ZIP, DOCX, JPEG, PDF, PNG, XLSX

__all__ = ["BROKEN_ZIP", "DOCX", "JPEG", "PDF", "PNG", "TEXT", "TOO_BIG", "XLSX"]

TEXT = b"This is not a letter in any format we take.\n"
TOO_BIG = PDF + b"0" * (10 * 1024 * 1024)
