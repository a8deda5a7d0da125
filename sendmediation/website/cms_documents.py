"""The website's documents, as editors upload them in the CMS: every new file goes through the same
upload check as the family's letters (``common.uploads.check_published_file``), so a published PDF
cannot carry a script or an attached file, a Word document cannot carry macros, and every file is
scanned for viruses when clamd is set. Wagtail builds its document forms, the one-at-a-time and the
multiple uploader alike, on this class (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from sendmediation.common.uploads import UploadRefused, check_published_file


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new file, not the one already kept
            try:
                check_published_file(file, file.name or "")
            except UploadRefused as refused:
                raise ValidationError(refused.message, code=refused.code) from None
        return file
