"""Phone numbers as links that a phone can call: ``{{ brand.phone|tel_link }}``."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def tel_address(number: str) -> str:
    """``0300 123 4567`` → ``tel:03001234567``; a leading + is kept for international numbers."""
    digits = re.sub(r"[^\d+]", "", number.replace("(0)", ""))  # +44 (0)20 … is dialled +4420 …
    return "tel:" + digits[:1] + digits[1:].replace("+", "")


@register.filter
def tel_link(number: object) -> SafeString | str:
    """The number as a link, or nothing when there is no number."""
    text = str(number or "").strip()
    if not re.search(r"\d", text):
        return text
    return format_html('<a class="govuk-link" href="{}">{}</a>', tel_address(text), text)
