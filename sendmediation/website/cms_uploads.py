"""What editors upload in the CMS goes through the same upload check as the family's letters
(``sendmediation.common.uploads``). Wagtail builds its forms, the one-at-a-time ones and the multiple
uploaders alike, on these classes (``WAGTAILDOCS_DOCUMENT_FORM_BASE``, ``WAGTAILIMAGES_IMAGE_FORM_BASE``):

- a document: scanned for viruses when clamd is set; a PDF cannot carry a script, an action or an
  attached file, a Word document cannot carry macros or too much packed inside, and a file named
  ``.pdf`` or ``.docx`` must be one;
- a picture: scanned for viruses when clamd is set; a photo (JPEG or PNG) is saved again without its
  metadata, such as where it was taken, and refused when too large or damaged.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from sendmediation.common.uploads import UploadRefused, check_published_file, check_published_picture


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new file, not the one already kept
            try:
                check_published_file(file, file.name or "")
            except UploadRefused as refused:
                raise ValidationError(refused.message, code=refused.code) from None
        return file


class CheckedImageForm(BaseImageForm):
    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            try:
                saved_again = check_published_picture(file)
            except UploadRefused as refused:
                raise ValidationError(refused.message, code=refused.code) from None
            if saved_again is not None:
                name = file.name or f"picture.{saved_again.kind}"
                kind = saved_again.kind.content_type
                return SimpleUploadedFile(name, saved_again.content, content_type=kind)
        return file
